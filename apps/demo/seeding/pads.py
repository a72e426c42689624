"""(stub: being built for issue 17) The demo's evaluation pad at window A01."""


def seed_pads(centre_name: str) -> list[str]:
    """Seed the demo's pads (idempotent); the lines seed_demo prints about them."""
    return []
