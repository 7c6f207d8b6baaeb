// The page's behaviour that Gradio has no component for (loaded in <head>; no remote requests):
// - Gradio's own English labels, tooltips and toasts shown in Vietnamese;
// - a [n] marker opens and shows its source;
// - copy as plain text: one answer with its sources, or the whole conversation;
// - "Xem toàn bài" asks the server for the whole article (through hidden components).
(() => {
  const VI = new Map(Object.entries({
    "Drop File Here": "Thả tệp vào đây",
    "Click to Upload": "Bấm để chọn tệp",
    "- or -": "- hoặc -",
    "or": "hoặc",
    "Use via API": "Dùng qua API",
    "Use via API or MCP": "Dùng qua API",
    "Built with Gradio": "Xây dựng bằng Gradio",
    "built with": "xây dựng bằng",
    "Settings": "Cài đặt",
    "Clear": "Xóa",
    "Copy": "Chép",
    "Copy message": "Chép tin nhắn",
    "Copied message": "Đã chép",
    "Copy conversation": "Chép cuộc trò chuyện",
    "Copied!": "Đã chép!",
    "Retry": "Trả lời lại",
    "Undo": "Hoàn tác",
    "Edit": "Sửa",
    "Like": "Hữu ích",
    "Dislike": "Chưa tốt",
    "Submit": "Gửi",
    "Cancel": "Hủy",
    "Stop": "Dừng",
    "Download": "Tải về",
    "Download All": "Tải tất cả",
    "Remove": "Gỡ",
    "Loading...": "Đang tải...",
    "Loading": "Đang tải",
    "Uploading...": "Đang tải lên...",
    "Error": "Lỗi",
    "Empty": "Trống",
    "Chatbot": "Hội thoại",
    "Sort ascending": "Sắp xếp tăng dần",
    "Sort descending": "Sắp xếp giảm dần",
    "Sort column": "Sắp xếp cột",
    "Clear sort": "Bỏ sắp xếp",
    "Filter": "Lọc",
    "Clear filters": "Bỏ lọc",
    "Search": "Tìm",
    "Select all": "Chọn tất cả",
    "Fullscreen": "Toàn màn hình",
    "Copy table data": "Chép bảng",
    "Table data copied": "Đã chép bảng",
    "Exit fullscreen mode": "Thoát toàn màn hình",
    "Connection errored out.": "Mất kết nối tới máy chủ.",
    "Lost connection due to leaving page. Rejoining queue...": "Mất kết nối khi rời trang. Đang kết nối lại...",
    "Waiting for file(s) to finish uploading, please retry.": "Đang chờ tải tệp xong, hãy thử lại.",
    "Incorrect Credentials": "Sai tên đăng nhập hoặc mật khẩu",
    "username": "tên đăng nhập",
    "password": "mật khẩu",
    "Login": "Đăng nhập",
    "Logout": "Đăng xuất",
  }));
  const PATTERNS = [
    [/^File\(s\) exceed(?:s|ed)? the maximum allowed size of (.+?):\s*(.*)$/i, "Tệp lớn hơn giới hạn $1: $2"],
    [/^File size exceeds the maximum allowed size of (.+)$/i, "Tệp lớn hơn giới hạn $1"],
    [/^.*exceed(?:s|ed)? (?:the )?maximum (?:allowed )?(?:file )?size(?: of)? (.+)$/i, "Tệp lớn hơn giới hạn $1"],
    [/^In queue: (\d+) of (\d+)$/i, "Đang chờ: $1/$2"],
  ];
  const ATTRS = ["aria-label", "title", "placeholder"];

  const translated = (text) => {
    const key = text.trim();
    if (!key) return null;
    if (VI.has(key)) return text.replace(key, VI.get(key));
    for (const [re, out] of PATTERNS) if (re.test(key)) return text.replace(key, key.replace(re, out));
    return null;
  };

  const translateTree = (root) => {
    if (root.nodeType === Node.TEXT_NODE) {
      const t = translated(root.nodeValue);
      if (t !== null && t !== root.nodeValue) root.nodeValue = t;
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    if (root.closest && root.closest(".answer, .question, .passage, .article-view, textarea, td")) return;
    for (const attr of ATTRS) {
      const v = root.getAttribute && root.getAttribute(attr);
      const t = v && translated(v);
      if (t && t !== v) root.setAttribute(attr, t);
    }
    for (const child of root.childNodes) translateTree(child);
  };

  // ------------------------------------------------------------ plain text of answers
  // the server writes each answer's plain text (exports.answer_text) into a hidden element
  const plainOfMessage = (msg) => {
    const plain = msg.querySelector(".plain");
    return plain ? plain.textContent : (msg.innerText || "").trim();
  };

  const copyText = async (text, button) => {
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    if (button) {
      const label = button.textContent;
      button.textContent = "Đã chép";
      setTimeout(() => { button.textContent = label; }, 1500);
    }
  };

  window.assistantConversationText = () => {
    const parts = [];
    document.querySelectorAll("#chat .question, #chat .answer-block").forEach((node) => {
      if (node.classList.contains("question")) parts.push(`Hỏi: ${node.innerText.trim()}`);
      else parts.push(`Đáp: ${plainOfMessage(node)}`, "");
    });
    return parts.join("\n").trim();
  };

  const addTools = (root) => {
    const blocks = root.querySelectorAll ? root.querySelectorAll(".answer-block") : [];
    blocks.forEach((block) => {
      if (block.querySelector(".msg-tools") || block.querySelector(".answer.streaming")) return;
      const tools = document.createElement("div");
      tools.className = "msg-tools";
      const copy = document.createElement("button");
      copy.type = "button";
      copy.className = "copy-plain";
      copy.textContent = "Chép";
      copy.title = "Chép câu trả lời và nguồn (văn bản thuần)";
      tools.appendChild(copy);
      block.appendChild(tools);
    });
  };

  // ------------------------------------------------------------ clicks
  const sendToServer = (elemId, value) => {
    const box = document.querySelector(`#${elemId} textarea, #${elemId} input`);
    const button = document.querySelector(`#${elemId}-go`);
    if (!box || !button) return;
    box.value = value;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    setTimeout(() => button.click(), 50);
  };

  document.addEventListener("click", (event) => {
    const target = event.target;
    const copy = target.closest && target.closest("button.copy-plain");
    if (copy) {
      event.preventDefault();
      copyText(plainOfMessage(copy.closest(".answer-block")), copy);
      return;
    }
    const all = target.closest && target.closest("#copy-chat");
    if (all) {
      copyText(window.assistantConversationText(), null);
      return;
    }
    const link = target.closest && target.closest("a");
    if (!link) return;
    const href = link.getAttribute("href") || "";
    if (link.classList.contains("whole-article") || href.startsWith("#toan-bai:")) {
      event.preventDefault();
      const details = link.closest("details.source");
      const quote = details && details.querySelector("mark");
      const source = decodeURIComponent(href.replace(/^#toan-bai:/, ""));
      sendToServer("article-request", JSON.stringify({ source, quote: quote ? quote.textContent : "" }));
      return;
    }
    if (/^#a[0-9a-f]{8}-\d+$/.test(href)) {
      const details = document.getElementById(href.slice(1));
      if (details) {
        event.preventDefault();
        details.open = true;
        details.scrollIntoView({ behavior: "smooth", block: "nearest" });
      }
    }
  });

  const observer = new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "characterData") translateTree(m.target);
      for (const node of m.addedNodes) {
        translateTree(node);
        if (node.nodeType === Node.ELEMENT_NODE) {
          addTools(node);
          if (node.parentElement) addTools(node.parentElement);
          const quote = node.id === "article-quote" ? node : node.querySelector && node.querySelector("#article-quote");
          if (quote) setTimeout(() => quote.scrollIntoView({ block: "center" }), 100);
        }
      }
      if (m.type === "attributes") translateTree(m.target);
    }
  });
  const start = () => {
    translateTree(document.body);
    addTools(document.body);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true,
      attributes: true, attributeFilter: ATTRS });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
