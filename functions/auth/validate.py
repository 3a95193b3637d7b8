"""auth-validate: verifies a JWT, returns its user.

Consumes mystore.auth.v1.ValidateRequest, replies ValidateResponse.
"""

from auth import handlers
from kit.cloudevent import rpc

main = rpc(handlers.validate)
