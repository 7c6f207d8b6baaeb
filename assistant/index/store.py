"""The vector store: a Chroma collection, embedded (PersistentClient) or on a Chroma server.

One collection per index and embedding model (the name carries the index's id and the model), so
switching models never mixes vector spaces or fails on a dimension mismatch (ingest re-embeds into
the new collection and drops the old one), and indexes sharing a Chroma server keep to their own.
The embedding function is always ours; Chroma's default would download a model at run time.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.config import Settings, model_slug
from assistant.errors import IndexCorrupt, IndexUnwritable, StoreUnavailable

if TYPE_CHECKING:  # chromadb is imported when a store is opened
    from chromadb.api import ClientAPI

    from assistant.embedding.encoder import ChromaEmbedding

log = logging.getLogger(__name__)


def collection_name(base: str, owner: str, model: str) -> str:
    """`{base}-{index id}-{model}-{digest}`: one collection per index and embedding model."""
    digest = hashlib.sha1(model.encode("utf-8")).hexdigest()[:8]
    return f"{base}-{owner}-{model_slug(model)}-{digest}"


def _client(settings: Settings) -> ClientAPI:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.server_mode:
        headers = auth_headers(settings)
        https = settings.chroma_ssl or bool(settings.chroma_ca_cert)   # a CA certificate is for HTTPS
        if headers and not https and not _loopback(settings.chroma_host):
            raise StoreUnavailable(f"Không gửi mật khẩu Chroma tới {settings.chroma_host} qua kết nối không mã hóa. "
                                   f"Hãy đặt CHROMA_SSL=1 (proxy HTTPS trước máy chủ Chroma, xem README).")
        if settings.chroma_ca_cert:
            chroma_settings.chroma_server_ssl_verify = settings.chroma_ca_cert
        try:
            client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, ssl=https,
                                         headers=headers, settings=chroma_settings)
            client.heartbeat()
            return client
        except Exception as exc:
            raise StoreUnavailable(unavailable_message(settings, exc)) from exc
    path = Path(settings.index_dir) / "chroma"
    try:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:
        raise store_error(settings, exc) from exc


def _loopback(host: str) -> bool:
    import ipaddress

    try:
        return host == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def auth_headers(settings: Settings) -> dict[str, str] | None:
    """What an authenticating reverse proxy in front of a Chroma server checks: basic auth (user and
    password), else a bearer token. The Chroma server itself authenticates no one."""
    import base64

    if settings.chroma_user or settings.chroma_password:
        pair = f"{settings.chroma_user}:{settings.chroma_password}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
    if settings.chroma_token:
        return {"Authorization": f"Bearer {settings.chroma_token}"}
    return None


_UNWRITABLE = ("disk is full", "no space", "file too large", "i/o error", "read-only", "readonly", "permission denied",
               "operation not permitted")


def store_error(settings: Settings, exc: Exception) -> Exception:
    """The user-facing error for a failure of the vector store."""
    text = str(exc).lower()
    if any(s in text for s in _UNWRITABLE):
        return IndexUnwritable(f"Không ghi được kho vector trong {settings.index_dir} ({str(exc)[:160]}). Hãy kiểm "
                               f"tra dung lượng đĩa và quyền ghi; chỉ mục hiện có không bị thay đổi.")
    if settings.server_mode:
        return StoreUnavailable(unavailable_message(settings, exc))
    return IndexCorrupt(f"Kho vector trong {settings.index_dir} lỗi ({type(exc).__name__}: {str(exc)[:160]}). Cách "
                        f"sửa: xóa thư mục đó rồi chạy lại `python -m assistant ingest`.")


def unavailable_message(settings: Settings, exc: Exception) -> str:
    text = str(exc)
    title = re.search(r"<title>(.*?)</title>", text, re.I | re.S)   # an HTML error page (a proxy's): its title
    reason = (title.group(1).strip() if title else text.strip().splitlines()[0] if text.strip()
              else type(exc).__name__)[:160]
    if "401" in reason or "403" in reason or "auth" in reason.lower():
        return (f"Máy chủ Chroma {settings.chroma_host}:{settings.chroma_port} từ chối truy cập ({reason}). "
                f"Hãy kiểm tra CHROMA_USER và CHROMA_PASSWORD (hoặc CHROMA_TOKEN).")
    if settings.chroma_ssl or settings.chroma_ca_cert or auth_headers(settings):   # reached through a proxy
        return (f"Không kết nối được máy chủ Chroma {settings.chroma_host}:{settings.chroma_port} ({reason}). Hãy "
                f"kiểm tra proxy ở địa chỉ đó (chứng chỉ HTTPS, CHROMA_CA_CERT) và máy chủ Chroma phía sau nó, "
                f"hoặc bỏ --chroma-host để dùng chỉ mục cục bộ.")
    return (f"Không kết nối được máy chủ Chroma {settings.chroma_host}:{settings.chroma_port} ({reason}). Hãy khởi "
            f"động máy chủ (chroma run --path DIR --host {settings.chroma_host} --port {settings.chroma_port}) "
            f"hoặc bỏ --chroma-host để dùng chỉ mục cục bộ.")


class VectorStore:
    """Chunk vectors, each with its article (`source`) and filter values, in one Chroma collection."""

    def __init__(self, settings: Settings, embedding_function: ChromaEmbedding, owner: str):
        self.settings = settings
        self.client = _client(settings)
        self.owner = owner
        self.name = collection_name(settings.collection, owner, settings.embedding_key)
        self.collection = self._call(lambda: self.client.get_or_create_collection(
            # Chroma asks for a function of documents or images; ours embeds the documents this store holds
            self.name, embedding_function=embedding_function,  # type: ignore[arg-type]
            configuration={"hnsw": {"space": "cosine"}}, metadata={"model": settings.embedding_key}))

    def _call(self, fn: Callable[..., Any]) -> Any:
        # `fn` is called without arguments (`...` admits the lambdas that bind loop values as defaults);
        # Chroma's results are read as plain data.
        try:
            return fn()
        except (StoreUnavailable, IndexCorrupt, IndexUnwritable):
            raise
        except Exception as exc:
            raise store_error(self.settings, exc) from exc

    def drop_other_models(self) -> list[str]:
        """Delete this index's collections built with another model: on a server, only those carrying
        this index's id (other indexes may share the server); in the index's own folder, every other
        collection of this base name (those of earlier versions too)."""
        dropped = []
        prefix = f"{self.settings.collection}-{self.owner}-" if self.settings.server_mode else \
            f"{self.settings.collection}-"
        for col in self._call(self.client.list_collections):
            name = col if isinstance(col, str) else col.name
            if name.startswith(prefix) and name != self.name:
                self._call(lambda n=name: self.client.delete_collection(n))
                dropped.append(name)
        return dropped

    def count(self) -> int:
        return self._call(self.collection.count)

    def add(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        """Passage vectors with their metadata: the article (`source`, which deletion selects by) and
        what the corpus filters select on (`ProgramFacts.filter_values`: places, parties, years as
        arrays). Texts and the other facts are read from the catalog."""
        step = max(1, min(5000, getattr(self.client, "get_max_batch_size", lambda: 5000)()))
        for i in range(0, len(ids), step):
            self._call(lambda i=i: self.collection.upsert(
                ids=ids[i:i + step], embeddings=vectors[i:i + step], metadatas=metadatas[i:i + step]))

    def delete_sources(self, sources: list[str]) -> None:
        for i in range(0, len(sources), 200):
            part = sources[i:i + 200]
            where = {"source": part[0]} if len(part) == 1 else {"source": {"$in": part}}
            self._call(lambda w=where: self.collection.delete(where=w))

    def delete_ids(self, ids: list[str]) -> None:
        for i in range(0, len(ids), 1000):
            self._call(lambda i=i: self.collection.delete(ids=ids[i:i + 1000]))

    def all_ids(self) -> set[str]:
        ids, offset, page = set(), 0, 5000
        while True:
            got = self._call(lambda o=offset: self.collection.get(include=[], limit=page, offset=o))
            ids.update(got["ids"])
            if len(got["ids"]) < page:
                return ids
            offset += page

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these passages."""
        if not ids:
            return {}
        got = self._call(lambda: self.collection.get(ids=ids, include=["embeddings"]))
        return {cid: np.asarray(vec, dtype=np.float32) for cid, vec in zip(got["ids"], got["embeddings"], strict=True)}

    def query(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity), best first, optionally only passages whose metadata match a
        Chroma `where` filter (`Filters.where`), fewer than k when the store holds fewer: Chroma caps
        n_results itself, so no count round trip per question."""
        result = self._call(lambda: self.collection.query(
            query_embeddings=[vector], n_results=k, where=where, include=["distances"]))
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0], strict=True)]
