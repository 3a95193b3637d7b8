"""auth-register: creates a user.

Consumes mystore.auth.v1.RegisterRequest, replies RegisterResponse.
"""

from auth import handlers
from kit.cloudevent import rpc

main = rpc(handlers.register)
