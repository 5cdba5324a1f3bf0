"""The Roannais history (2005–2013), recorded through the application's own commands.

The facts, dates and assumptions are in `facts`; the shared recorder in `recorder`; one
module per chapter; `record` combines the chapters and records them in order.
"""

from application.roannais_history.facts import BUREAU_VOTERS, REGION_INVITEE
from application.roannais_history.record import record_roannais_history
from application.roannais_history.recorder import RoannaisIds

__all__ = ["BUREAU_VOTERS", "REGION_INVITEE", "RoannaisIds", "record_roannais_history"]
