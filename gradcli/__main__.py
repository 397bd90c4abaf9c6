from .commands.group import run

if __name__ == "__main__":
    run()
