//! The look of the sandbox's pages (consent screen, error pages, console) and the one
//! escaping function every value goes through before it is put into HTML.

/// Escapes text for use in HTML element content and in double- or single-quoted
/// attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            other => out.push(other),
        }
    }
    out
}

/// A whole page: `title` is escaped here; `body` must already be HTML built with
/// [`escape`].
pub(crate) fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>{title} · Zoho Accounts (sandbox)</title>
<style>{STYLE}</style>
</head>
<body>
<header class="bar">
  <span class="logo" aria-label="Zoho"><b class="z">Z</b><b class="o1">O</b><b class="h">H</b><b class="o2">O</b></span>
  <span class="product">Accounts</span>
  <span class="badge" title="Nothing here talks to the real Zoho">Sandbox</span>
</header>
<main class="card">
{body}
</main>
<footer>Zoho OAuth sandbox: a local practice copy of Zoho's sign-in and API Console. No real Zoho account or data is used.</footer>
</body>
</html>
"#,
        title = escape(title),
    )
}

/// An error page, as Zoho shows for a bad authorization request.
pub(crate) fn error_page(title: &str, message: &str) -> String {
    page(
        title,
        &format!(
            r#"<h1 class="error-title">{}</h1><p class="error">{}</p><p class="muted">Check the client ID and redirect URI registered in the API Console, then start again from the application.</p>"#,
            escape(title),
            escape(message)
        ),
    )
}

const STYLE: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 "Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#222;background:#f3f5f9}
.bar{display:flex;align-items:center;gap:.6rem;padding:.7rem 1.5rem;background:#fff;border-bottom:1px solid #e2e6ee}
.logo b{font-weight:800;font-size:1.25rem;letter-spacing:.02em;padding:0 .06em}
.z{color:#e42527}.o1{color:#089949}.h{color:#226db4}.o2{color:#f9b21d}
.product{font-size:1.1rem;color:#444}
.badge{margin-left:auto;font-size:.75rem;text-transform:uppercase;letter-spacing:.08em;background:#fff4d6;color:#8a5a00;border:1px solid #f0d48a;border-radius:999px;padding:.1rem .6rem}
.card{max-width:44rem;margin:2rem auto;background:#fff;border:1px solid #e2e6ee;border-radius:10px;padding:1.8rem 2rem;box-shadow:0 2px 10px rgba(20,40,80,.06)}
h1{font-size:1.35rem;margin:0 0 .6rem}h2{font-size:1.05rem;margin:1.6rem 0 .5rem}
.muted{color:#667085;font-size:.9rem}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88rem;word-break:break-all}
ul.scopes{list-style:none;padding:0;margin:.4rem 0 1rem;border:1px solid #e2e6ee;border-radius:8px}
ul.scopes li{padding:.55rem .9rem;border-top:1px solid #eef1f6}ul.scopes li:first-child{border-top:0}
ul.scopes code{display:block;color:#667085}
fieldset{border:1px solid #e2e6ee;border-radius:8px;padding:.6rem .9rem;margin:1rem 0}
legend{padding:0 .3rem;font-weight:600}
label.user{display:flex;gap:.6rem;align-items:flex-start;padding:.35rem 0;cursor:pointer}
.actions{display:flex;gap:.8rem;margin-top:1.2rem}
button,.button{font:inherit;border-radius:6px;padding:.55rem 1.4rem;cursor:pointer;border:1px solid #226db4;background:#226db4;color:#fff}
button.secondary{background:#fff;color:#226db4}
button:hover{filter:brightness(1.08)}
.error-title{color:#c4161c}.error{background:#fdecec;border:1px solid #f5c2c2;border-radius:8px;padding:.7rem .9rem}
.notice{background:#eaf6ee;border:1px solid #b7e0c4;border-radius:8px;padding:.7rem .9rem}
table{width:100%;border-collapse:collapse;margin:.4rem 0}th,td{text-align:left;padding:.45rem .5rem;border-top:1px solid #eef1f6;vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:#667085;border-top:0}
form.stack label{display:block;margin:.6rem 0 .2rem;font-weight:600}
form.stack input[type=text],form.stack input[type=url],form.stack select,form.stack textarea{width:100%;font:inherit;padding:.45rem .6rem;border:1px solid #cfd6e2;border-radius:6px}
.code-box{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1rem;background:#f6f8fb;border:1px dashed #9fb3d1;border-radius:8px;padding:.8rem;word-break:break-all;user-select:all}
nav.dcs a,nav.dcs strong{margin-right:.6rem}
footer{text-align:center;color:#8a94a6;font-size:.8rem;margin:0 1rem 2rem}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert('x')</script> & "q""#),
            "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn page_titles_are_escaped() {
        let html = page("<b>", "<p>ok</p>");
        assert!(html.contains("<title>&lt;b&gt; ·"));
        assert!(html.contains("<p>ok</p>"));
    }
}
