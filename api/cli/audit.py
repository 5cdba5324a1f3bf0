"""`filieres audit` and `filieres report`: the auditors' command line."""

import typer

from api.cli import audit_history, audit_integrity, audit_overview, checkpoints, report

audit_app = typer.Typer(
    help="The event log for auditors: verify, export, history.", no_args_is_help=True
)
report_app = typer.Typer(
    help="Governance reports: who decided what, who sat where, what rests on an assumption.",
    no_args_is_help=True,
)
audit_integrity.register(audit_app)
checkpoints.register(audit_app)
audit_history.register(audit_app)
audit_overview.register(audit_app)
report.register(report_app)
