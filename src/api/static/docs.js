// Renders /openapi.json and lets a signed-in person (session cookie or API token) try each operation.
(function () {
  'use strict';
  var csrf = null;
  var tokenInput = document.getElementById('token');
  tokenInput.value = sessionStorage.getItem('sfu-token') || '';

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  function headers(method, hasBody) {
    var h = {};
    var t = tokenInput.value.trim();
    if (t) h.Authorization = 'Bearer ' + t;
    else if (csrf && method !== 'GET') h['X-CSRF-Token'] = csrf;
    if (hasBody) h['Content-Type'] = 'application/json';
    return h;
  }

  function whoami() {
    fetch('/api/me', { headers: headers('GET', false), credentials: 'same-origin' })
      .then(function (r) {
        return r.json().then(function (b) {
          return { ok: r.ok, b: b };
        });
      })
      .then(function (r) {
        var w = document.getElementById('whoami');
        if (!r.ok) {
          w.textContent =
            'Not signed in: ask for a sign-in link with POST /api/auth/magic-links, or paste an API token.';
          csrf = null;
          return;
        }
        csrf = r.b.session ? r.b.session.csrfToken : null;
        w.textContent =
          'Signed in as ' +
          r.b.person.name +
          ' (' +
          r.b.roles.join(', ') +
          (r.b.person.state ? ', ' + r.b.person.state : '') +
          ') by ' +
          r.b.via +
          '.';
      });
  }

  document.getElementById('save').addEventListener('click', function () {
    sessionStorage.setItem('sfu-token', tokenInput.value.trim());
    whoami();
  });

  function example(schema) {
    if (!schema) return null;
    if (schema.default !== undefined) return schema.default;
    if (schema.enum) return schema.enum[0];
    if (schema.const !== undefined) return schema.const;
    if (schema.anyOf) return example(schema.anyOf[0]);
    if (schema.oneOf) return example(schema.oneOf[0]);
    switch (schema.type) {
      case 'object':
        var o = {};
        (schema.required || []).forEach(function (k) {
          o[k] = example(schema.properties[k]);
        });
        return o;
      case 'array':
        return [];
      case 'integer':
      case 'number':
        return schema.minimum || 1;
      case 'boolean':
        return false;
      default:
        return schema.format === 'date-time'
          ? new Date(Date.now() + 14 * 864e5).toISOString()
          : schema.format === 'date'
            ? new Date().toISOString().slice(0, 10)
            : '';
    }
  }

  function operation(path, method, op) {
    var params = (op.parameters || []).map(function (p) {
      var input = el('input', { name: p.name, placeholder: p.in + (p.required ? ', required' : '') });
      return { p: p, input: input, label: el('label', {}, [p.name + ' ', input]) };
    });
    var bodySchema =
      op.requestBody && op.requestBody.content['application/json'] && op.requestBody.content['application/json'].schema;
    var body = bodySchema ? el('textarea', {}, [JSON.stringify(example(bodySchema), null, 2)]) : null;
    var out = el('pre', { text: '' });
    var send = el('button', { type: 'button', text: 'Send' });
    send.addEventListener('click', function () {
      var url = path;
      var query = new URLSearchParams();
      var extra = {};
      params.forEach(function (x) {
        var v = x.input.value.trim();
        if (!v) return;
        if (x.p.in === 'path') url = url.replace('{' + x.p.name + '}', encodeURIComponent(v));
        else if (x.p.in === 'query') query.set(x.p.name, v);
        else extra[x.p.name] = v;
      });
      if (query.toString()) url += '?' + query.toString();
      var h = headers(method.toUpperCase(), Boolean(body));
      Object.keys(extra).forEach(function (k) {
        h[k] = extra[k];
      });
      out.textContent = '…';
      fetch(url, {
        method: method.toUpperCase(),
        headers: h,
        body: body ? body.value : undefined,
        credentials: 'same-origin',
      }).then(
        function (r) {
          return r.text().then(function (t) {
            try {
              t = JSON.stringify(JSON.parse(t), null, 2);
            } catch (e) {
              /* not JSON */
            }
            out.textContent = r.status + ' ' + r.statusText + '\n\n' + t;
          });
        },
        function (e) {
          out.textContent = String(e);
        },
      );
    });
    var children = [
      op.description ? el('p', { text: op.description }) : null,
      params.length
        ? el(
            'div',
            {},
            params.map(function (x) {
              return x.label;
            }),
          )
        : null,
      body ? el('div', {}, [el('div', { text: 'Body (application/json):' }), body]) : null,
      el('div', { text: 'Responses: ' + Object.keys(op.responses).join(', '), class: 'who' }),
      send,
      out,
    ];
    return el('details', {}, [
      el('summary', {}, [
        el('span', { class: 'm ' + method, text: method }),
        path + '  ',
        el('span', { class: 'who', text: op.summary }),
      ]),
      el('div', { class: 'op' }, children),
    ]);
  }

  fetch('/openapi.json')
    .then(function (r) {
      return r.json();
    })
    .then(function (spec) {
      document.getElementById('intro').appendChild(el('p', { text: spec.info.description }));
      var byTag = {};
      Object.keys(spec.paths).forEach(function (path) {
        Object.keys(spec.paths[path]).forEach(function (method) {
          var op = spec.paths[path][method];
          (byTag[op.tags[0]] = byTag[op.tags[0]] || []).push(operation(path, method, op));
        });
      });
      var ops = document.getElementById('ops');
      ops.textContent = '';
      Object.keys(byTag).forEach(function (tag) {
        ops.appendChild(el('h2', { text: tag }));
        byTag[tag].forEach(function (d) {
          ops.appendChild(d);
        });
      });
    });
  whoami();
})();
