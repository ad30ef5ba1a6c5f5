"""Fuzz cases for the pilots app's forms (see tests/fuzzing.py); each feature keeps its own module."""

from tests.pilots.guidance_fuzzcases import GUIDANCE_FUZZ

FUZZ = {}
FUZZ.update(GUIDANCE_FUZZ)
