"""Whose notifications a member may see and change (the app's access rules).

Notifications and their settings are per person, not per child: every member, whatever
their role (the front desk and billing included), reads and changes only their own.
A notification about a child they may no longer see is hidden with the child (the
scope ``Notification.objects.visible_to``). Nothing here is under a child.
"""

from tandem.access import ANY_MEMBER, register

register("notifications.view", ANY_MEMBER)
register("notifications.read", ANY_MEMBER)
register("notifications.preferences", ANY_MEMBER)
