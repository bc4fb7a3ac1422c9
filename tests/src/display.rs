//! A display for the app window: a private Xvfb on a display number it picks itself
//! (`-displayfd`, so parallel runs never race for one), or, where Xvfb is not
//! installed, the desktop's own `$DISPLAY`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::process::Spawned;

/// The display the app is shown on, and the Xvfb behind it if this run started one.
pub struct Display {
    /// The value for `$DISPLAY`, e.g. `:93`.
    pub name: String,
    _xvfb: Option<Spawned>,
}

impl Display {
    /// Starts `xvfb` (the path of an Xvfb binary) on a free display number.
    ///
    /// # Errors
    /// A description of what failed, for the test's message.
    pub fn start_xvfb(xvfb: &Path) -> Result<Self, String> {
        let mut server = Spawned::start(
            "Xvfb",
            Command::new(xvfb)
                .args([
                    "-displayfd",
                    "1",
                    "-screen",
                    "0",
                    "1280x900x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        )
        .map_err(|err| format!("could not start Xvfb: {err}"))?;

        let stdout = server
            .child_mut()
            .stdout
            .take()
            .ok_or("Xvfb has no stdout")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let number = rx
            .recv_timeout(Duration::from_secs(15))
            .map_err(|_| "Xvfb did not report a display number within 15 s".to_owned())?;
        let number = number.trim();
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("Xvfb exited without a display (said {number:?})"));
        }
        Ok(Self {
            name: format!(":{number}"),
            _xvfb: Some(server),
        })
    }

    /// The desktop's display, when `$DISPLAY` is set.
    pub fn existing() -> Option<Self> {
        let name = std::env::var("DISPLAY")
            .ok()
            .filter(|d| !d.trim().is_empty())?;
        Some(Self { name, _xvfb: None })
    }
}
