"""answer/evidence"""
