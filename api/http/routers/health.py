"""/health: the database answers, and how far each view lags behind the log."""

from fastapi import APIRouter
from pydantic import BaseModel

from api.http.deps import ServicesDep
from api.http.routers.responses import READ

router = APIRouter(tags=["health"])


class ViewHealth(BaseModel):
    name: str
    position: int
    lag: int


class Health(BaseModel):
    status: str
    events: int
    projections: list[ViewHealth]


@router.get("/health", response_model=Health, responses={503: READ[503]})
def health(services: ServicesDep) -> Health:
    """No token needed; 503 when the database does not answer."""
    return Health(
        status="ok",
        events=services.app.event_count(),
        projections=[
            ViewHealth(name=s.name, position=s.position, lag=s.lag) for s in services.views.status()
        ],
    )
