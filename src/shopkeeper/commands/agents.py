"""`shopkeeper agents create|list`: manage the people who answer chats."""

from __future__ import annotations

import typer

from shopkeeper.settings import Settings

app = typer.Typer(help="Manage agents (the people who answer chats).", no_args_is_help=True)


@app.command("create")
def create(
    email: str,
    name: str = typer.Option(..., help="Display name."),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    role: str = typer.Option("agent", help="agent | supervisor | admin"),
    max_discount: int = typer.Option(10, help="Largest discount (%) this agent may grant."),
) -> None:
    """Create an agent account."""
    from shopkeeper import staff
    from shopkeeper.bootstrap import build_services

    services = build_services(Settings())
    with services.db.session() as s:
        agent = staff.create_agent(s, email, name, password, role, max_discount)
    typer.echo(f"created {agent.role} {agent.email} ({agent.id})")


@app.command("list")
def list_() -> None:
    """List agent accounts."""
    from shopkeeper import staff
    from shopkeeper.bootstrap import build_services

    services = build_services(Settings())
    with services.db.session() as s:
        for a in staff.list_agents(s):
            typer.echo(f"{a.id}  {a.email:30} {a.role:10} max discount {a.max_discount_percent}%")
