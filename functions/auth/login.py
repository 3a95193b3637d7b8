"""auth-login: checks a password, issues a JWT.

Consumes mystore.auth.v1.LoginRequest, replies LoginResponse.
"""

from auth import handlers
from kit.cloudevent import rpc

main = rpc(handlers.login)
