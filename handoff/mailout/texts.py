"""Texts the desk writes on its own, in the customer's language (French or English for now)."""

from __future__ import annotations

import re

_FRENCH = re.compile(
    r"\b(bonjour|merci|je|nous|vous|est|pas|avec|pour|une|les|des|votre|notre|cordialement)\b",
    re.IGNORECASE,
)
_ENGLISH = re.compile(
    r"\b(hello|hi|thanks|thank|the|and|you|your|our|with|for|is|not|regards)\b", re.IGNORECASE
)

ACKNOWLEDGEMENTS = {
    "fr": (
        "Bien reçu :",
        "Bonjour,\n\nNous avons bien reçu votre message et une personne de l'équipe vous "
        "répond au plus vite.\nPour compléter votre demande, répondez simplement à ce "
        "message (référence {token}).\n\nÀ très vite,\nL'équipe",
    ),
    "en": (
        "Received:",
        "Hello,\n\nWe have received your message and a person from the team will answer "
        "you shortly.\nTo add anything, simply reply to this message (reference {token}).\n\n"
        "Talk soon,\nThe team",
    ),
}


def language_of(text: str) -> str:
    """A stopgap until triage detects languages: French when French words dominate."""
    sample = text[:2000]
    return "fr" if len(_FRENCH.findall(sample)) > len(_ENGLISH.findall(sample)) else "en"


def acknowledgement(text: str) -> tuple[str, str]:
    return ACKNOWLEDGEMENTS[language_of(text)]
