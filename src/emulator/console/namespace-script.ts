/**
 * The namespace page's one script, plain ES5 with no build step. It follows the gateway's Server-Sent
 * Events for the namespace (the URL in the table's data-events) and puts each new admission or refusal
 * at the top of the table the server rendered, without a reload; text goes in with textContent only,
 * so no subject or message a client chose can become markup. And it reads a chosen PEM file into the
 * Add form's textarea, since the form posts text (the router takes no multipart bodies). Without it the
 * page still works: paste the PEM, reload for newer connections.
 */
import { EVENTS_PER_NAMESPACE } from './admission-log-store.js';

export const MAX_ROWS = EVENTS_PER_NAMESPACE;

export const NAMESPACE_SCRIPT = `(function () {
  'use strict';
  var file = document.getElementById('pem-file');
  var pem = document.getElementById('pem');
  if (file && pem && window.FileReader) {
    file.addEventListener('change', function () {
      var chosen = file.files && file.files[0];
      if (!chosen) return;
      var reader = new FileReader();
      reader.onload = function () { pem.value = String(reader.result); pem.focus(); };
      reader.readAsText(chosen);
    });
  }
})();
(function () {
  'use strict';
  var body = document.getElementById('admissions');
  var status = document.getElementById('live-status');
  var empty = document.getElementById('admissions-empty');
  if (!body || !window.EventSource) return;
  var last = Number(body.getAttribute('data-last-seq')) || 0;
  function formatInstant(iso) { return String(iso).replace('T', ' ').replace(/(\\.\\d+)?Z$/, ' UTC'); }
  function cell(row, text, className) {
    var td = document.createElement('td');
    if (className) {
      var inner = document.createElement(className === 'fp' ? 'code' : 'span');
      inner.className = className;
      inner.textContent = text;
      td.appendChild(inner);
    } else td.textContent = text;
    row.appendChild(td);
    return td;
  }
  function say(text, state) { status.textContent = text; body.setAttribute('data-live', state); }
  function add(event) {
    var row = document.createElement('tr');
    row.setAttribute('data-seq', String(event.seq));
    var time = document.createElement('time');
    time.setAttribute('datetime', String(event.at));
    time.textContent = formatInstant(event.at);
    row.appendChild(document.createElement('td')).appendChild(time);
    var result = String(event.result);
    cell(row, result, 'badge result-' + (/^(admitted|refused|closed)$/.test(result) ? result : 'closed'));
    cell(row, event.subject || '(no certificate)');
    cell(row, event.fingerprint || '', 'fp');
    var reason = cell(row, '');
    if (event.code) {
      var code = document.createElement('code');
      code.textContent = event.code;
      reason.appendChild(code);
      if (event.message) reason.appendChild(document.createTextNode(' ' + event.message));
    }
    body.insertBefore(row, body.firstChild);
    while (body.rows.length > ${MAX_ROWS}) body.deleteRow(body.rows.length - 1);
    if (empty) empty.hidden = true;
  }
  var source = new EventSource(body.getAttribute('data-events'));
  source.addEventListener('open', function () { say('Live: new connections appear at the top as the endpoint decides them.', 'open'); });
  source.addEventListener('error', function () {
    if (source.readyState === EventSource.CLOSED) say('Live updates stopped: reload the page to see newer connections.', 'closed');
    else say('Live updates interrupted: reconnecting.', 'connecting');
  });
  source.addEventListener('admission', function (message) {
    var event;
    try { event = JSON.parse(message.data); } catch (e) { return; }
    // A feed that replays what the page already shows (after a reconnect) adds nothing twice.
    if (!event || typeof event.seq !== 'number' || event.seq <= last) return;
    last = event.seq;
    add(event);
  });
})();`;
