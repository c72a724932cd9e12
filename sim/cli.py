"""The spacer-sim command line. User errors print one line and exit with code 2."""

import argparse
import sys

from .errors import InputError


def _solve(args) -> None:
    from .model.run import solve_model

    problem = solve_model(args.model, args.out)
    print(f"solved {problem.mesh.n_cells} cells, {problem.n_dofs} DOFs -> {args.out}/fields.vtu, reactions.csv")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="spacer-sim", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    solve = sub.add_parser("solve", help="solve a model file (TOML) on any mesh")
    solve.add_argument("model", help="model file (TOML)")
    solve.add_argument("--out", required=True, help="output folder for fields.vtu and reactions.csv")
    solve.set_defaults(func=_solve)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except InputError as exc:
        print(f"spacer-sim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("spacer-sim: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
