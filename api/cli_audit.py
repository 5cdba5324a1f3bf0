"""`filieres audit` and `filieres report`: the auditors' command line."""

import typer

from api import cli_audit_history, cli_audit_integrity, cli_audit_overview, cli_report

audit_app = typer.Typer(
    help="The event log for auditors: verify, export, history.", no_args_is_help=True
)
report_app = typer.Typer(
    help="Governance reports: who decided what, who sat where.", no_args_is_help=True
)
cli_audit_integrity.register(audit_app)
cli_audit_history.register(audit_app)
cli_audit_overview.register(audit_app)
cli_report.register(report_app)
