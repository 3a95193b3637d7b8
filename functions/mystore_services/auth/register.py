"""auth-register: creates a user.

Consumes mystore.auth.v1.RegisterRequest, replies RegisterResponse.
"""

from mystore_kit.cloudevent import rpc
from mystore_services.auth import handlers

main = rpc(handlers.register)
