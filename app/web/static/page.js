() => {
  // [n] in an answer jumps to its passage (Gradio would open links in a new tab).
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#gy-cite-"]');
    if (!link) return;
    event.preventDefault(); event.stopPropagation();
    const target = document.getElementById(link.getAttribute('href').slice(1));
    if (!target) return;
    const box = target.closest('.message-wrap .message, .thought-group, .message') || target.parentElement;
    box.scrollIntoView({behavior: 'smooth', block: 'center'});
    box.classList.add('gy-flash'); setTimeout(() => box.classList.remove('gy-flash'), 1600);
  }, true);
  // Sign-in and sign-out links open the admin page in this tab: after signing in it comes back here.
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('#gy-admin-link a, #gy-upload-user a, #gy-upload-status a');
    if (!link || link.getAttribute('href') !== 'admin') return;
    event.preventDefault(); event.stopPropagation();
    window.location.assign(link.href);
  }, true);
  // A message's copy button copies what the reader sees (answer, sources, passages), not the
  // escaped Markdown behind it.
  document.addEventListener('click', (event) => {
    const button = event.target.closest && event.target.closest('#chat .message-buttons button');
    if (!button || !/copy/i.test(button.getAttribute('aria-label') || '')) return;
    const row = button.closest('.message-buttons').previousElementSibling;
    if (!row) return;
    const text = row.innerText.replace(/\n{3,}/g, "\n\n").trim();
    setTimeout(() => navigator.clipboard && navigator.clipboard.writeText(text).catch(() => {}), 60);
  }, true);
  // A full queue shows Gradio's English toast: say it kindly, in the page's language.
  const busy = __BUSY_MESSAGES__;
  const lang = () => {
    const checked = document.querySelector('#gy-lang input:checked');
    return checked ? checked.value : 'zh-Hans';
  };
  new MutationObserver(() => {
    document.querySelectorAll('[data-testid="toast-body"], .toast-body').forEach((el) => {
      if (el.dataset.gyBusy) return;
      if (/currently busy|Queue is full/i.test(el.textContent)) {
        el.dataset.gyBusy = '1';
        const [title, message] = busy[lang()] || busy['zh-Hans'];
        const text = el.querySelector('[data-testid="toast-text"], .toast-text') || el;
        text.textContent = message;
        const head = el.querySelector('.toast-title');
        if (head) head.textContent = title;
      }
    });
  }).observe(document.body, {childList: true, subtree: true});
}
