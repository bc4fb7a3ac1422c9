//! Prints the text on the clipboard of `$DISPLAY` and exits 0, or exits 1 when the
//! clipboard holds no text, so an end-to-end test can check what the app copied and
//! that it was cleared again.

fn main() {
    let text = arboard::Clipboard::new().and_then(|mut clipboard| clipboard.get_text());
    match text {
        Ok(text) => print!("{text}"),
        Err(_) => std::process::exit(1),
    }
}
