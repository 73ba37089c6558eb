//! The end-to-end harness: the demo store served on 127.0.0.1 and a fresh headless
//! Chromium driven through ChromeDriver (WebDriver), one of each per test.
//!
//! `cargo xtask test` builds the site and sets `CARTLIFT_SITE`; run alone, these tests
//! ask for that. Every page gets a probe installed before its own scripts run (through
//! the DevTools protocol) that records console errors and warnings, uncaught exceptions
//! and unhandled rejections, so a test can assert that the widget left the page clean.
#![deny(missing_docs)]

pub mod bad_configs;
pub mod fake_store;

use anyhow::{Context, Result, anyhow, bail};
use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long any wait may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The assembled demo site, served on an ephemeral 127.0.0.1 port.
#[derive(Debug)]
pub struct Site {
    server: cartlift_demo::Server,
}

impl Site {
    /// Serves `$CARTLIFT_SITE`.
    pub fn start() -> Result<Site> {
        let dir = Site::dir()?;
        Ok(Site {
            server: cartlift_demo::server::start(&dir, 0)?,
        })
    }

    /// Serves `$CARTLIFT_SITE` with its cartlift config changed by `edit` (a holdout, a
    /// broken rule, …); every other file as built.
    pub fn with_config(edit: impl FnOnce(&mut Value)) -> Result<Site> {
        let dir = Site::dir()?;
        let path = dir.join("cartlift/config.json");
        let mut config: Value = serde_json::from_str(
            &std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?,
        )?;
        edit(&mut config);
        let body = config.to_string();
        Site::with_handler(move |request| {
            (request.path == "/cartlift/config.json")
                .then(|| cartlift_demo::http::Response::new(200, "application/json", body.clone()))
        })
    }

    /// Serves `$CARTLIFT_SITE` through `handler`: what it answers is sent, `None` falls
    /// back to the built files (raw config bytes, extra headers, …).
    pub fn with_handler(
        handler: impl Fn(&cartlift_demo::http::Request) -> Option<cartlift_demo::http::Response>
        + Send
        + Sync
        + 'static,
    ) -> Result<Site> {
        let store = cartlift_demo::server::Storefront::new(&Site::dir()?);
        let handler = move |request: &cartlift_demo::http::Request| {
            handler(request).unwrap_or_else(|| store.handle(request))
        };
        Ok(Site {
            server: cartlift_demo::http::Server::start(0, std::sync::Arc::new(handler))?,
        })
    }

    /// `$CARTLIFT_SITE`, checked to hold a built widget.
    fn dir() -> Result<PathBuf> {
        let dir = std::env::var_os("CARTLIFT_SITE")
            .map(PathBuf::from)
            .ok_or_else(|| {
                anyhow!(
                    "CARTLIFT_SITE is not set: run the end-to-end tests with `cargo xtask test`"
                )
            })?;
        if !dir.join("cartlift/cartlift_widget_bg.wasm").is_file() {
            bail!(
                "{} holds no built widget: run `cargo xtask test`",
                dir.display()
            );
        }
        Ok(dir)
    }

    /// Absolute URL of a site path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }
}

/// What the page probe caught.
const PROBE: &str = r#"
(() => {
  const seen = [];
  Object.defineProperty(window, '__probe', { value: seen });
  for (const level of ['error', 'warn']) {
    const original = console[level];
    console[level] = (...args) => { seen.push(`console.${level}: ${args.map(String).join(' ')}`); original.apply(console, args); };
  }
  addEventListener('error', (e) => seen.push(`uncaught: ${e.message || e.target?.src || e.type}`), true);
  addEventListener('unhandledrejection', (e) => seen.push(`unhandled rejection: ${e.reason}`));
  // Cumulative layout shift as Chromium reports it, with what moved, for assertions.
  const shifts = [];
  Object.defineProperty(window, '__shifts', { value: shifts });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.hadRecentInput) continue;
        const moved = (e.sources || []).map((s) => {
          const n = s.node;
          if (!n) return '?';
          const el = n.nodeType === 1 ? n : n.parentElement;
          const name = el ? `${el.localName}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}` : n.nodeName;
          const r = (b) => `${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)}`;
          return `${name} ${r(s.previousRect)} -> ${r(s.currentRect)}`;
        });
        shifts.push({ value: e.value, moved });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  } catch (e) { seen.push(`probe: no layout-shift observer: ${e}`); }
})();
"#;

/// A DevTools protocol command sent through ChromeDriver.
#[derive(Debug)]
struct Cdp(&'static str, Value);

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "cmd": self.0, "params": self.1 }).to_string()),
        )
    }
}

/// A headless Chromium with its own ChromeDriver and an empty profile.
#[derive(Debug)]
pub struct Browser {
    client: Client,
    driver: Child,
    profile: PathBuf,
}

impl Browser {
    /// Starts ChromeDriver and a fresh browser session with the page probe installed.
    pub async fn start() -> Result<Browser> {
        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let mut command = Command::new(&chromedriver);
        command.arg(format!("--port={port}"));
        // CARTLIFT_E2E_LOG=DIR keeps a verbose ChromeDriver log per browser, for flakes.
        if let Some(dir) = std::env::var_os("CARTLIFT_E2E_LOG") {
            command.arg("--verbose").arg(format!(
                "--log-path={}",
                PathBuf::from(dir)
                    .join(format!("chromedriver-{port}.log"))
                    .display()
            ));
        }
        // Its own process group, so Drop can end ChromeDriver *and* the browser it
        // started even when a failing test never closed the session.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let driver = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {chromedriver}"))?;
        let deadline = Instant::now() + TIMEOUT;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                bail!("chromedriver did not listen on port {port}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile =
            std::env::temp_dir().join(format!("cartlift-e2e-{}-{port}", std::process::id()));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.display()),
                ],
            }),
        );
        let client = ClientBuilder::rustls()?
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .context("connecting to chromedriver")?;
        // A page that has not loaded within TIMEOUT fails the test now, not after
        // ChromeDriver's default five minutes.
        client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                Some(TIMEOUT),
                Some(TIMEOUT),
                None,
            ))
            .await
            .context("setting WebDriver timeouts")?;
        let browser = Browser {
            client,
            driver,
            profile,
        };
        browser
            .client
            .issue_cmd(Cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": PROBE }),
            ))
            .await
            .context("installing the page probe")?;
        Ok(browser)
    }

    /// Scrolls the page's first placement to the middle of the viewport: placements render
    /// when they come near it, and report an impression when in view.
    pub async fn scroll_to_placement(&self) -> Result<()> {
        self.eval::<Value>(
            "document.querySelector('cartlift-suggestions')?.scrollIntoView({block: 'center'}); return null;",
            vec![],
        )
        .await?;
        Ok(())
    }

    /// Opens a URL and waits for the document to load.
    pub async fn goto(&self, url: &str) -> Result<()> {
        self.client
            .goto(url)
            .await
            .with_context(|| format!("opening {url}"))?;
        Ok(())
    }

    /// Reloads the current page and waits for it to load.
    pub async fn reload(&self) -> Result<()> {
        self.client.refresh().await.context("reloading the page")
    }

    /// Runs JS (a function body; `arguments` holds `args`) and decodes what it returns.
    pub async fn eval<T: DeserializeOwned>(&self, js: &str, args: Vec<Value>) -> Result<T> {
        let value = self
            .client
            .execute(js, args)
            .await
            .with_context(|| format!("running {js}"))?;
        serde_json::from_value(value.clone()).with_context(|| format!("decoding {value} from {js}"))
    }

    /// Polls a JS expression until it is truthy.
    pub async fn wait_for(&self, what: &str, expression: &str) -> Result<()> {
        let deadline = Instant::now() + TIMEOUT;
        let js = format!("try {{ return !!({expression}); }} catch (e) {{ return false; }}");
        loop {
            if self.eval::<bool>(&js, vec![]).await? {
                return Ok(());
            }
            if Instant::now() > deadline {
                let problems = self.problems().await.unwrap_or_default();
                bail!("timed out waiting for {what} ({expression}); page problems: {problems:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The element a JS expression evaluates to (it may be inside a shadow root), for real
    /// WebDriver interaction such as clicks.
    pub async fn element(&self, expression: &str) -> Result<Element> {
        let value: Value = self
            .client
            .execute(&format!("return {expression};"), vec![])
            .await
            .with_context(|| format!("finding {expression}"))?;
        let id = value
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .ok_or_else(|| anyhow!("{expression} is not an element: {value}"))?;
        Ok(Element::from_element_id(
            self.client.clone(),
            id.to_owned().into(),
        ))
    }

    /// Clicks the element a JS expression evaluates to, as a user would.
    pub async fn click(&self, expression: &str) -> Result<()> {
        // Centre it first: a sticky header must not be where the click lands.
        let _: Value = self
            .client
            .execute(
                &format!("({expression})?.scrollIntoView({{block: 'center'}}); return null;"),
                vec![],
            )
            .await
            .with_context(|| format!("scrolling to {expression}"))?;
        self.element(expression)
            .await?
            .click()
            .await
            .with_context(|| format!("clicking {expression}"))?;
        Ok(())
    }

    /// Console errors and warnings, uncaught exceptions and failed resource loads so far
    /// on the current page.
    pub async fn problems(&self) -> Result<Vec<String>> {
        self.eval(
            r#"const seen = [...(window.__probe || [])];
               for (const r of performance.getEntriesByType('resource')) {
                 if (r.responseStatus >= 400) seen.push(`HTTP ${r.responseStatus}: ${r.name}`);
               }
               return seen;"#,
            vec![],
        )
        .await
    }

    /// [`Browser::problems`] without the failed requests (`HTTP 500: …`): what the page
    /// itself logged or threw, for tests whose server fails on purpose.
    pub async fn messages(&self) -> Result<Vec<String>> {
        let mut problems = self.problems().await?;
        problems.retain(|p| !p.starts_with("HTTP "));
        Ok(problems)
    }

    /// Fails if the current page logged or threw anything.
    pub async fn assert_clean(&self) -> Result<()> {
        let problems = self.problems().await?;
        if !problems.is_empty() {
            bail!("the page reported problems: {problems:#?}");
        }
        Ok(())
    }

    /// A PNG of the viewport.
    pub async fn screenshot(&self) -> Result<Vec<u8>> {
        self.client
            .screenshot()
            .await
            .context("taking a screenshot")
    }

    /// Sends a DevTools protocol command (`HeapProfiler.collectGarbage`, …) and returns
    /// its result.
    pub async fn cdp(&self, method: &'static str, params: Value) -> Result<Value> {
        self.client
            .issue_cmd(Cdp(method, params))
            .await
            .with_context(|| format!("DevTools {method}"))
    }

    /// Runs `js` in every page this browser opens from now on, before the page's own
    /// scripts (to record events from the very start, stub APIs, …).
    pub async fn before_each_page(&self, js: &str) -> Result<()> {
        self.client
            .issue_cmd(Cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": js }),
            ))
            .await
            .context("installing a page script")?;
        Ok(())
    }

    /// Records every `cartlift:*` event (type, detail, where it was dispatched) and every
    /// `dataLayer` push in the pages opened from now on; read them with [`Browser::events`].
    pub async fn record_events(&self) -> Result<()> {
        self.before_each_page(
            r#"(() => {
              const seen = [];
              Object.defineProperty(window, '__events', { value: seen });
              for (const type of ['impression', 'click', 'add-to-cart', 'dismiss']) {
                document.addEventListener(`cartlift:${type}`, (e) => seen.push({
                  type: e.type, detail: e.detail, bubbles: e.bubbles, composed: e.composed,
                  from: e.target.getAttribute('placement'),
                }));
              }
            })();"#,
        )
        .await
    }

    /// The events recorded so far on the current page (see [`Browser::record_events`]).
    pub async fn events(&self) -> Result<Vec<Value>> {
        self.eval(
            "return JSON.parse(JSON.stringify(window.__events || []));",
            vec![],
        )
        .await
    }

    /// Gives the browser window the focus a user's window has while they type into it
    /// (DevTools `Page.bringToFront`). Headless Chromium 150 under ChromeDriver starts with
    /// an unfocused window (`document.hasFocus()` is false), and Blink then matches neither
    /// `:focus` nor `:focus-visible` anywhere on the page; Chromium 156 starts focused.
    pub async fn focus_window(&self) -> Result<()> {
        self.cdp("Page.bringToFront", json!({})).await?;
        Ok(())
    }

    /// Presses and releases `key` (WebDriver actions: real key events, dispatched to
    /// whatever has the focus, as a keyboard user's would be).
    pub async fn press(&self, key: fantoccini::key::Key) -> Result<()> {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let key = char::from(key);
        self.client
            .perform_actions(
                KeyActions::new("keyboard".into())
                    .then(KeyAction::Down { value: key })
                    .then(KeyAction::Up { value: key }),
            )
            .await
            .with_context(|| format!("pressing {key:?}"))
    }

    /// Sets the browser window size (CSS pixels of the outer window).
    pub async fn resize(&self, width: u32, height: u32) -> Result<()> {
        self.client
            .set_window_size(width, height)
            .await
            .context("resizing the window")
    }

    /// Cumulative layout shift on the current page so far (shifts right after input
    /// excluded, as the metric defines), with what moved in each shift.
    pub async fn layout_shift(&self) -> Result<(f64, Vec<Value>)> {
        let shifts: Vec<Value> = self.eval("return window.__shifts || [];", vec![]).await?;
        let total = shifts
            .iter()
            .filter_map(|s| s.get("value").and_then(Value::as_f64))
            .sum();
        Ok((total, shifts))
    }

    /// Runs axe-core (from `$AXE_CORE_JS`, which `cargo xtask test` sets) on the page,
    /// shadow roots included, and returns its serious and critical violations as
    /// `rule: target (summary)` lines.
    pub async fn axe_serious(&self) -> Result<Vec<String>> {
        let path = std::env::var_os("AXE_CORE_JS")
            .map(PathBuf::from)
            .ok_or_else(|| {
                anyhow!("AXE_CORE_JS is not set: run the tests with `cargo xtask test`")
            })?;
        let source = std::fs::read_to_string(&path)
            .with_context(|| format!("reading axe-core from {}", path.display()))?;
        let _: Value = self
            .client
            .execute(&format!("{source}\nreturn true;"), vec![])
            .await
            .context("injecting axe-core")?;
        let value = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   axe.run(document, { resultTypes: ['violations'] })
                     .then((r) => done(r.violations
                       .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                       .flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)} (${n.failureSummary})`))))
                     .catch((e) => done([`axe failed: ${e}`]));"#,
                vec![],
            )
            .await
            .context("running axe-core")?;
        serde_json::from_value(value).context("decoding axe-core's result")
    }

    /// Sets `localStorage[key]` on the site's origin (loading a page there first).
    pub async fn set_storage(&self, site: &Site, key: &str, value: &str) -> Result<()> {
        self.goto(&site.url("/index.html")).await?;
        let _: Value = self
            .client
            .execute(
                "localStorage.setItem(arguments[0], arguments[1]); return null;",
                vec![json!(key), json!(value)],
            )
            .await
            .context("writing localStorage")?;
        Ok(())
    }

    /// Ends the session, the browser and ChromeDriver.
    pub async fn close(self) -> Result<()> {
        // Drop then ends ChromeDriver's process group and removes the profile.
        self.client
            .clone()
            .close()
            .await
            .context("closing the browser session")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-KILL")
            .arg("--")
            .arg(format!("-{}", self.driver.id()))
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// JS that reaches into a placement's shadow root: `shadow("product")` →
/// `document.querySelector('cartlift-suggestions[placement="product"]').shadowRoot`.
pub fn shadow(placement: &str) -> String {
    format!(r#"document.querySelector('cartlift-suggestions[placement="{placement}"]').shadowRoot"#)
}
