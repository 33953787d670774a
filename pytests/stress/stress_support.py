"""Helpers shared by the stress suites."""
import os

SCALE = float(os.environ.get("JAWAIT_STRESS_SCALE", "1"))


def scaled(count):
    """``count`` times JAWAIT_STRESS_SCALE (default 1, what CI runs; scripts/stress runs more)."""
    return max(1, int(count * SCALE))
