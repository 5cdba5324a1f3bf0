"""Placeholder: filled by the audit work (issue 5)."""

from fastapi import APIRouter

router = APIRouter(tags=["audit"])
