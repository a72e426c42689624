"""(stub: being built for issue 17) Demo ratings, a rectification ticket and figures."""


def seed_ratings(centre_name: str) -> list[str]:
    """Seed the demo's ratings (idempotent); the lines seed_demo prints about them."""
    return []
