"""notification-get: when an order's confirmation was sent.

Consumes mystore.notification.v1.GetNotificationRequest, replies GetNotificationResponse.
"""

from mystore_kit.cloudevent import rpc
from mystore_services.notification import handlers

main = rpc(handlers.get_notification)
