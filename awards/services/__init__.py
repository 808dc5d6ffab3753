"""Every write of the awards app goes through a service here: one module per area (cycles, nominations…).

A service owns its transaction, re-checks the rules it depends on at the moment of the action, locks the rows
people race for, and writes the audit entry. A refused action raises django.core.exceptions.ValidationError
with a message meant for the user.
"""
