"""Requests HTTP API: login for now; artisans and requisitions come with their issue."""
from __future__ import annotations

import marshmallow as ma
from flask import current_app
from marshmallow import fields as f, validate as v

from services.requests import users
from shared.auth import issue_token
from shared.web import Blueprint, db

blp = Blueprint("requests", __name__, url_prefix="/api/v1", description="Login, artisans and requisitions")


class LoginSchema(ma.Schema):
    username = f.String(required=True, validate=v.Length(min=1, max=100))
    password = f.String(required=True, validate=v.Length(min=1, max=200), load_only=True)


class TokenSchema(ma.Schema):
    access_token = f.String()
    token_type = f.String()
    expires_in = f.Integer()
    role = f.String()


@blp.route("/auth/login", methods=["POST"])
@blp.arguments(LoginSchema)
@blp.response(200, TokenSchema)
def login(body):
    """Exchange a username and password for a short-lived access token."""
    user = users.authenticate(db(), body["username"], body["password"])
    config = current_app.config["RAWBANK"]
    token = issue_token(config.jwt_secret, sub=user["_id"], role=user["role"],
                        artisan_id=user.get("artisan_id"), depot=user.get("depot"),
                        ttl_seconds=config.jwt_ttl_seconds)
    return {"access_token": token, "token_type": "Bearer", "expires_in": config.jwt_ttl_seconds,
            "role": user["role"]}
