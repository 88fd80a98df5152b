"""Gongyou (工友): cited answers to Chinese workers' questions from policy documents."""

__version__ = "0.1.0"
