"""Settings, declared once: where the graph lives and which backend serves it.

Read from the environment (``LEADGRAPH_*``, ``NEO4J_*``) and overridable per command;
the API and the CLI receive a :class:`Settings` instead of reading globals.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from leadgraph.errors import InvalidQuery

__all__ = ["Settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LEADGRAPH_", extra="ignore")

    backend: Literal["embedded", "neo4j"] = Field("embedded", description="图存储后端 (graph backend)")
    db: str = Field("leadgraph.db", description="SQLite 文件路径 (embedded store file)")
    host: str = Field("127.0.0.1", description="API 监听地址")
    port: int = Field(8000, ge=1, le=65535, description="API 端口")
    role: Literal["viewer", "officer", "admin"] = Field(
        "viewer", description="默认用户角色：决定能否看到手机号等个人信息"
    )
    neo4j_uri: str = Field(
        "bolt://127.0.0.1:7687", validation_alias=AliasChoices("NEO4J_URI", "LEADGRAPH_NEO4J_URI")
    )
    neo4j_user: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_USER", "LEADGRAPH_NEO4J_USER"))
    neo4j_password: str = Field(
        "", validation_alias=AliasChoices("NEO4J_PASSWORD", "LEADGRAPH_NEO4J_PASSWORD"), repr=False
    )
    neo4j_database: str = Field(
        "neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "LEADGRAPH_NEO4J_DATABASE")
    )
    neo4j_auth: str = Field(
        "",
        validation_alias=AliasChoices("NEO4J_AUTH", "LEADGRAPH_NEO4J_AUTH"),
        repr=False,
        description="user/password 形式（同 Neo4j 官方镜像），未设 NEO4J_PASSWORD 时使用",
    )
    neo4j_timeout: float = Field(
        60.0,
        gt=0,
        validation_alias=AliasChoices("NEO4J_TIMEOUT", "LEADGRAPH_NEO4J_TIMEOUT"),
        description="Neo4j 单个事务的超时秒数 (transaction timeout, seconds)",
    )
    neo4j_path_projection: Literal["auto", "inline", "background", "off"] = Field(
        "auto",
        validation_alias=AliasChoices("NEO4J_PATH_PROJECTION", "LEADGRAPH_NEO4J_PATH_PROJECTION"),
        description="Neo4j 路径投影 (path projection): auto, inline, background, off",
    )

    @model_validator(mode="after")
    def _credentials_from_neo4j_auth(self) -> "Settings":
        """``NEO4J_AUTH=user/password`` (the official image's variable) fills an unset password."""
        if self.neo4j_auth and not self.neo4j_password:
            user, _, password = self.neo4j_auth.partition("/")
            self.neo4j_user, self.neo4j_password = user or self.neo4j_user, password
        return self

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> "Settings":
        if self.host not in ("127.0.0.1", "localhost", "::1") and self.role != "viewer":
            raise InvalidQuery(
                "对外监听时默认角色必须是 viewer（手机号脱敏）(refusing to serve unmasked personal data beyond loopback)"
            )
        return self
