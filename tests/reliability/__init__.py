"""Reliability and security: contention, crashes, outages, fuzzing, hostile input, access,
tampering."""
