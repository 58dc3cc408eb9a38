//! The class page in a real browser: headless Chromium renders
//! `class --format html` for a fixture class, its screenshot must show the
//! page (not one colour, the bars' colours present), and the DOM it built
//! must hold a row per student, no script, nothing fetched, and a text
//! equivalent on every bar.
//!
//! Chromium comes from the distribution's packages (`.ci/run` installs it).
//! On a developer's machine without it the test says why it skipped; where
//! `TENSORLINGS_BROWSER_TEST=required` (as `.ci/run` sets) or `CI=true`, a
//! missing browser fails it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("TENSORLINGS_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

fn required() -> bool {
    std::env::var("TENSORLINGS_BROWSER_TEST").is_ok_and(|v| v == "required")
        || std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Runs headless Chromium on `page` with `args`, for at most two minutes;
/// its standard output.
fn run_chromium(browser: &Path, profile: &Path, page: &Path, args: &[&str]) -> Vec<u8> {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=1100,1600",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut out).unwrap();
        out
    });
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium {args:?} failed: {status}");
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium {args:?} did not finish in two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap()
}

/// A decoded PNG: width, height and RGB pixels.
struct Image {
    width: usize,
    height: usize,
    pixels: Vec<[u8; 3]>,
}

/// Decodes the 8-bit RGB or RGBA, non-interlaced PNGs Chromium writes.
fn decode_png(bytes: &[u8]) -> Image {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
    let (mut width, mut height, mut channels) = (0, 0, 0);
    let mut data = Vec::new();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = be(&bytes[at..]);
        let kind = &bytes[at + 4..at + 8];
        let body = &bytes[at + 8..at + 8 + len];
        match kind {
            b"IHDR" => {
                width = be(body);
                height = be(&body[4..]);
                assert_eq!(body[8], 8, "8 bits a sample");
                channels = match body[9] {
                    2 => 3,
                    6 => 4,
                    other => panic!("colour type {other}"),
                };
                assert_eq!(body[12], 0, "not interlaced");
            }
            b"IDAT" => data.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        at += 12 + len;
    }
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(&data).unwrap();
    let stride = width * channels;
    assert_eq!(raw.len(), height * (stride + 1), "image data size");
    let mut rows: Vec<Vec<u8>> = Vec::with_capacity(height);
    for y in 0..height {
        let line = &raw[y * (stride + 1)..(y + 1) * (stride + 1)];
        let filter = line[0];
        let mut row = line[1..].to_vec();
        let up = |i: usize| rows.last().map_or(0, |r: &Vec<u8>| r[i]);
        for i in 0..stride {
            let a = if i >= channels { row[i - channels] } else { 0 };
            let b = up(i);
            let c = if i >= channels { up(i - channels) } else { 0 };
            let add = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => a / 2 + b / 2 + (a & b & 1),
                4 => paeth(a, b, c),
                other => panic!("filter {other}"),
            };
            row[i] = row[i].wrapping_add(add);
        }
        rows.push(row);
    }
    let pixels = rows
        .iter()
        .flat_map(|row| row.chunks(channels).map(|p| [p[0], p[1], p[2]]))
        .collect();
    Image {
        width,
        height,
        pixels,
    }
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

fn has_colour(image: &Image, want: [u8; 3]) -> bool {
    image
        .pixels
        .iter()
        .any(|p| p.iter().zip(want).all(|(a, b)| a.abs_diff(b) <= 3))
}

/// Every start tag in `dom` whose class list holds `class`.
fn tags_with_class<'a>(dom: &'a str, class: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = dom;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..=start + end];
        let classes = tag
            .split_once("class=\"")
            .and_then(|(_, after)| after.split_once('"'))
            .map_or("", |(classes, _)| classes);
        if classes.split_whitespace().any(|c| c == class) {
            out.push(tag);
        }
        rest = &rest[start + end + 1..];
    }
    out
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!(" {name}=\"");
    let (_, after) = tag.split_once(needle.as_str())?;
    after.split_once('"').map(|(value, _)| value)
}

#[test]
fn the_class_page_renders_in_a_real_browser() {
    let Some(browser) = chromium() else {
        assert!(
            !required(),
            "CI must run the browser test: install Chromium (`apt-get install -y chromium`) or set TENSORLINGS_CHROMIUM"
        );
        eprintln!(
            "skipped: Chromium is not installed (`apt-get install chromium`); the class page was not checked in a browser"
        );
        return;
    };
    let root = tempfile::tempdir().unwrap();
    let paths = crate::classroom::five_students(root.path());
    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let html = crate::classroom::class(&paths, &["--format", "html"]);
    let page = root.path().join("class.html");
    fs::write(&page, &html).unwrap();
    let profile = root.path().join("profile");

    let shot = root.path().join("class.png");
    run_chromium(
        &browser,
        &profile,
        &page,
        &[&format!("--screenshot={}", shot.display())],
    );
    let image = decode_png(&fs::read(&shot).unwrap());
    assert!(image.width >= 800 && image.height >= 800);
    let background = image.pixels[0];
    let differ = image.pixels.iter().filter(|p| **p != background).count();
    assert!(
        differ * 100 >= image.pixels.len(),
        "the screenshot is nearly one colour ({differ} of {} pixels differ)",
        image.pixels.len()
    );
    for (colour, what) in [
        ([0x2e, 0x9e, 0x5b], "passed"),
        ([0xe3, 0xa7, 0x2f], "tried"),
        ([0xc0, 0x39, 0x2b], "stuck"),
    ] {
        assert!(
            has_colour(&image, colour),
            "no {what} colour on the screenshot"
        );
    }

    let dom = String::from_utf8(run_chromium(&browser, &profile, &page, &["--dump-dom"])).unwrap();
    assert!(dom.contains("2 of 5 students are stuck"), "{dom}");
    let students = tags_with_class(&dom, "student");
    assert_eq!(students.len(), 5, "a row per student");
    assert!(!dom.contains("<script"), "no script");
    for fetch in ["src=", "href=", "url(", "@import", "<link", "<iframe"] {
        assert!(!dom.contains(fetch), "nothing fetched ({fetch})");
    }
    let bars = tags_with_class(&dom, "bar");
    assert_eq!(
        bars.len(),
        10 + 5,
        "a bar per exercise and a strip per student"
    );
    for bar in &bars {
        assert_eq!(attribute(bar, "role"), Some("img"), "{bar}");
        let label = attribute(bar, "aria-label").unwrap_or_default();
        assert!(
            label.contains(" passed"),
            "a bar's numbers in words for screen readers: {bar}"
        );
    }
    let strips = tags_with_class(&dom, "strip");
    assert_eq!(strips.len(), 5);
    assert!(
        strips.iter().any(|s| attribute(s, "aria-label")
            == Some("cy: 0 of 10 passed, at passes, stuck on passes")),
        "{strips:?}"
    );
}
