"""The programme's rules: aggregates, their events and the invariants they keep.

Read in this order: `decision` (what a decision is), `governing_body` (who may
decide), `filiere`, `call`, `project`, `funding`; `errors` lists every refusal.
"""
