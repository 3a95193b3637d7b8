"""auth-validate: verifies a JWT, returns its user.

Consumes mystore.auth.v1.ValidateRequest, replies ValidateResponse.
"""

from mystore_kit.cloudevent import rpc
from mystore_services.auth import handlers

main = rpc(handlers.validate)
