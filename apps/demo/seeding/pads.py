"""The demo's evaluation pad (评价器) at the city centre's window A01, awaiting its tablet: seed_demo
prints its pairing code, so that whoever runs ``make run`` can open /pad/pair/ on a tablet (or a second
browser window, not logged in) and see the acts of window A01 (the demo clerk 王小明's) as they finish.

Idempotent: one demo pad at A01. While no tablet holds it, each run draws a new code (valid
``PAIRING_MINUTES``: only its hash is stored, so an old code cannot be printed again); once a tablet
has claimed it, it is left alone and the line says so.
"""

from __future__ import annotations

from apps.accounts.models import Window
from apps.accounts.roles import Role
from apps.demo.seeding.organisation import demo_account
from apps.feedback import pads
from apps.feedback.models import EvaluationPad

WINDOW = "A01"
NAME = "演示评价器"


def seed_pads(centre_name: str) -> list[str]:
    """Seed the demo's pads (idempotent); the lines seed_demo prints about them."""
    window = Window.objects.get(centre__name=centre_name, number=WINDOW)
    supervisor = demo_account(Role.SUPERVISOR)
    pad = (
        EvaluationPad.objects.filter(window=window, name=NAME, revoked_at__isnull=True).order_by("pk").first()
    )
    if pad is not None and pad.last_seen_at is not None:
        return [
            f"Evaluation pad at {WINDOW}: paired with a tablet already (open /pad/ there). "
            f"To pair another, log in as {supervisor.username}: supervision desk → 评价器."
        ]
    if pad is None:
        pad, code = pads.pair_pad(window_id=window.pk, name=NAME, actor=supervisor)
    else:
        pad, code = pads.renew_code(pad_id=pad.pk, actor=supervisor)
    return [
        f"Pad pairing code for {WINDOW}: {code} (valid {pads.PAIRING_MINUTES} minutes), "
        f"open /pad/pair/ on the tablet (a browser not logged in). A new code: run seed_demo again, "
        f"or log in as {supervisor.username}: supervision desk → 评价器."
    ]
