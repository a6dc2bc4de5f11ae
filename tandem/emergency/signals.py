"""What emergency access tells the apps above it, without importing them.

``access_opened`` is sent, inside the transaction that gives the grant, with ``access``
(the new EmergencyAccess) and ``at`` (its start): the alert to the clinic's admins and the
child's lead therapist is connected to it (``tandem.breakglass``), so every grant, from a
page or the API, is announced.
"""

from django.dispatch import Signal

access_opened = Signal()
