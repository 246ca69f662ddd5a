"""Hostile text as it may arrive in a fetched article, a feed, an API submission or an editor's paste."""

XSS_PAYLOADS: dict[str, str] = {
    "script tag": "<script>alert('xss')</script>",
    "event handler": '<img src=x onerror="alert(1)">',
    "body onload": "<body onload=alert(1)>",
    "javascript url": '<a href="javascript:alert(1)">click</a>',
    "data url": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "svg onload": "<svg/onload=alert(1)><circle r=9 /></svg>",
    "svg script": "<svg><script>alert(1)</script></svg>",
    "math href": '<math><mtext><a xlink:href="javascript:alert(1)">m</a></mtext></math>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "unclosed tag": "<img src=x onerror=alert(1) ",
    "unclosed comment": "<!-- swallow the rest",
    "attribute breakout": '" onmouseover="alert(1)" x="',
    "single quote breakout": "' autofocus onfocus='alert(1)' x='",
    "json-ld breakout": '</script><script>alert("ld")</script>',
    "json-ld comment breakout": "<!--<script>alert(1)//-->",
    "style expression": (
        "<style>@import 'https://evil.example/x.css';</style><div style=\"background:url(javascript:alert(1))\">"
    ),
    "form action": '<form action="javascript:alert(1)"><button>go</button></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base href": '<base href="https://evil.example/">',
    "entity encoded": "&lt;script&gt;alert(1)&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62;",
    "unicode tricks": (
        "\u202eevil\u202c \u2028<scr\u0131pt>\uff1cscript\uff1ealert(1)\uff1c/script\uff1e \u200bzero\ufeffwidth"
    ),
    "template injection": "{{ request.META }} {% debug %} ${7*7} #{7*7}",
}
