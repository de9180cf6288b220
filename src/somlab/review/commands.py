"""Commands of the implementation review: `somlab protocol show` and `somlab review ...`."""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Optional

import typer

from somlab.cli_support import user_errors


class ShowFormat(str, Enum):
    text = "text"
    json = "json"


protocol_app = typer.Typer(help="The Protocol article by article: text, strength, objective, cluster.",
                           no_args_is_help=True)


@protocol_app.command("show")
def protocol_show(
    article: Optional[str] = typer.Argument(None, help="Article or provision: 6, 6(1), 6(1)(a). "
                                                       "Default: all."),
    fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f"),
) -> None:
    """The obligation catalogue: verbatim text, strength, who it binds, objective, cluster."""
    with user_errors():
        from somlab.review.catalogue import find

        found = find(article)
        if fmt is ShowFormat.json:
            json.dump([o.as_dict() for o in found], sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
            return
        article_no = None
        for o in found:
            if o.article != article_no:
                article_no = o.article
                print(f"\nArticle {o.article}. {o.title}")
            cluster = f"cluster {o.cluster}" if o.cluster else "no cluster"
            review = "" if o.unit else "; not reviewed on its own"
            print(f"  {o.label} [{o.strength}; {o.objective}; {cluster}{review}]")
            if o.binds:
                print(f"    binds: {o.binds}")
            print(f"    \"{o.text}\"")
            if o.evidence:
                print(f"    evidence: {', '.join(o.evidence)}")


def register(app: typer.Typer) -> None:
    app.add_typer(protocol_app, name="protocol")
