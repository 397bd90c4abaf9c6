"""The least any `gradcli eval` built on our libraries can cost: a Click command that parses
its argument with the generated Lark parser, touches NumPy, and prints JSON or a rich table.

startup.py times it beside gradcli, so the part gradcli adds on top of its libraries shows.
    python tests/bench/stack_floor.py 'a*x**2+b*x+c' -a a=1 [--json]
"""

import json

import click
import numpy


@click.command()
@click.argument("expr")
@click.option("--at", "-a", multiple=True)
@click.option("--json", "as_json", is_flag=True)
@click.version_option("0")
def main(expr, at, as_json):
    from gradcli.language._parser import Lark_StandAlone

    Lark_StandAlone().parse(expr, start="start")
    value = float(numpy.float64(1.0) * 2)
    if as_json:
        click.echo(json.dumps({"values": [value]}))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Values")
    table.add_column("expression")
    table.add_column("value", justify="right")
    table.add_row(expr, str(value))
    Console(markup=False, emoji=False).print(table)


if __name__ == "__main__":
    main()
