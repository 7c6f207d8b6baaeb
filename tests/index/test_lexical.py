"""Vietnamese word segmentation for the lexical index, as a process uses it."""

from __future__ import annotations

import os
import subprocess
import sys


def test_the_word_segmenter_leaves_no_model_copy_in_the_temporary_folder(tmp_path):
    """pyvi unpickles its CRF model into a temporary file; once loaded it is removed, so a process
    (a CLI run, the UI) leaves nothing behind, and segmentation still works."""
    code = ("from assistant.index.lexical import segment\n"
            "print(' '.join(segment('Ban Tuyên giáo Tỉnh ủy ký kết chương trình phối hợp')))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, TMPDIR=str(tmp_path)))
    assert run.stdout.strip() == "ban tuyen_giao tinh_uy ky_ket chuong_trinh phoi_hop", run.stderr
    assert not list(tmp_path.glob("*.crfsuite"))
