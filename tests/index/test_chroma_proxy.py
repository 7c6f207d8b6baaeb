"""A shared Chroma server behind the authenticating reverse proxy the README shows: its nginx block,
read from the README (ports and paths changed), run by Debian's nginx on 127.0.0.1 in front of a real
`chroma run`, with a self-signed certificate and a password file made as the README says."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ROOT, SOURCES, free_port, run_cli, start_chroma, stop_process

from assistant.answers.corpus import Filters
from assistant.config import load_settings
from assistant.errors import StoreUnavailable
from assistant.ingest.indexer import Indexer, run_ingest

pytestmark = pytest.mark.integration
NGINX = "/usr/sbin/nginx"
USER, PASSWORD = "tuyengiao", "mat-khau-dai-2026"


def readme_block() -> str:
    """The nginx server block of the README's "A shared Chroma server"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### A shared Chroma server"):]
    return re.search(r"```nginx\n(.*?)```", section, re.S).group(1)


def make_credentials(folder: Path) -> None:
    """Certificate, key and password file, with the README's openssl commands."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(folder / "chroma.key"),
                    "-out", str(folder / "chroma.crt")], check=True, capture_output=True)
    hashed = subprocess.run(["openssl", "passwd", "-apr1", PASSWORD], check=True, capture_output=True, text=True)
    (folder / "chroma.htpasswd").write_text(f"{USER}:{hashed.stdout.strip()}\n")


def nginx_conf(folder: Path, proxy_port: int, chroma_port: int) -> Path:
    block = readme_block().replace("/etc/nginx/", f"{folder}/")
    block = block.replace("listen 8443 ssl", f"listen 127.0.0.1:{proxy_port} ssl")
    block = block.replace("http://127.0.0.1:8000", f"http://127.0.0.1:{chroma_port}")
    assert str(proxy_port) in block and str(chroma_port) in block and "/etc/" not in block
    temp = "\n".join(f"    {kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                          "scgi"))
    user = "user root;" if os.geteuid() == 0 else ""   # workers read the password file in a private folder
    conf = folder / "nginx.conf"
    conf.write_text(f"""daemon off;
{user}
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {folder}/access.log;
{temp}
{block}
}}
""")
    return conf


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("nginx is needed: `make test` installs it (make proxy)")
    folder = tmp_path_factory.mktemp("proxy")
    chroma_port, proxy_port = free_port(), free_port()
    chroma = start_chroma(folder / "chroma-data", chroma_port)
    make_credentials(folder)
    conf = nginx_conf(folder, proxy_port, chroma_port)
    nginx = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", proxy_port), timeout=1).close()
                break
            except OSError:
                if nginx.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("nginx did not start: " + (folder / "error.log").read_text()) from None
                time.sleep(0.2)
        yield folder, proxy_port
    finally:
        stop_process(nginx)
        stop_process(chroma)


def through_proxy(proxy, tmp_path, **values):
    folder, port = proxy
    return load_settings(sources_dir=SOURCES, index_dir=tmp_path / "index", chroma_host="127.0.0.1", chroma_port=port,
                         chroma_ssl=True, chroma_ca_cert=str(folder / "chroma.crt"), **values)


@pytest.mark.parametrize("credentials", [{}, {"chroma_user": USER, "chroma_password": "sai"},
                                         {"chroma_token": PASSWORD}])
def test_the_proxy_refuses_without_the_password(proxy, tmp_path, credentials):
    with pytest.raises(StoreUnavailable) as refused:
        Indexer(through_proxy(proxy, tmp_path, **credentials))
    assert "từ chối truy cập" in str(refused.value) and "401" in str(refused.value)
    assert "CHROMA_USER" in str(refused.value)


def test_a_certificate_that_is_not_trusted_names_the_proxy_not_chroma_run(proxy, tmp_path):
    settings = through_proxy(proxy, tmp_path, chroma_user=USER, chroma_password=PASSWORD).with_overrides(
        chroma_ca_cert="")   # the system's CAs, which do not know the proxy's self-signed certificate
    with pytest.raises(StoreUnavailable) as refused:
        Indexer(settings)
    assert "CHROMA_CA_CERT" in str(refused.value) and "chroma run" not in str(refused.value)


def test_ingest_and_search_through_the_proxy_over_https(proxy, tmp_path, embedder):
    settings = through_proxy(proxy, tmp_path, chroma_user=USER, chroma_password=PASSWORD)
    report = run_ingest(settings, embedder=embedder)
    assert len(report.added) == 5 and report.rejected == []
    assert not (Path(settings.index_dir) / "chroma").exists()   # the vectors live behind the proxy
    with Indexer(settings, embedder) as indexer:
        assert indexer.store.count() == report.total_chunks
        where = Filters(provinces=("Phú Bình",)).where()
        hits = indexer.store.query(embedder.embed_query("Ai dự lễ ký kết?"), 3, where=where)
        assert {indexer.catalog.chunks_by_id([c])[c].source for c, _s in hits} == {"003_a972841ddb3fa63a.txt"}
    # the CLI through the environment variables the README gives; nothing changed, nothing to do
    folder, port = proxy
    result = run_cli("ingest", "--sources", str(SOURCES), "--index", str(settings.index_dir),
                     env={"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(port),   # the CA implies HTTPS
                          "CHROMA_CA_CERT": str(folder / "chroma.crt"), "CHROMA_USER": USER,
                          "CHROMA_PASSWORD": PASSWORD})
    assert result.returncode == 0, result.stderr
    assert "không đổi 5" in result.stdout
    # and the CLI without the password: one clear line, no traceback
    result = run_cli("ingest", "--sources", str(SOURCES), "--index", str(settings.index_dir),
                     env={"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(port), "CHROMA_SSL": "1",
                          "CHROMA_CA_CERT": str(folder / "chroma.crt")})
    assert result.returncode == 1 and "Traceback" not in result.stderr and "từ chối truy cập" in result.stderr
