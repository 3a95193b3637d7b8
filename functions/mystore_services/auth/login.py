"""auth-login: checks a password, issues a JWT.

Consumes mystore.auth.v1.LoginRequest, replies LoginResponse.
"""

from mystore_kit.cloudevent import rpc
from mystore_services.auth import handlers

main = rpc(handlers.login)
