#!/usr/bin/env node
// Builds itda/static_build/ from the npm packages in node_modules/ (run from `make install`).
//
// Why this exists: KRDS's minified CSS points every icon at https://www.krds.go.kr and ships the
// Pretendard GOV files without an @font-face rule. itda serves everything itself (strict CSP, no
// request may leave the server), so this script copies the package's own images and fonts, rewrites
// the CSS to point at the copies, and declares the font. It fails when a remote reference survives.
//
// Output (re-created on every run; git-ignored):
//   krds/krds.min.css            KRDS CSS, url(...) rewritten to the local copies below
//   krds/img/...                 only the images that CSS references
//   fonts/fonts.css              @font-face rules, family "Pretendard GOV" (400, 500, 700)
//   fonts/PretendardGOV-*.woff2  the font files from krds-uiux
//   vendor/htmx.min.js           htmx 2.x
//   vendor/chart.umd.min.js      Chart.js 4.x UMD build
// Plain Node (>= 18), no dependencies.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const NODE_MODULES = path.join(ROOT, "node_modules");
const OUT = path.join(ROOT, "itda", "static_build");
const TMP = `${OUT}.tmp-${process.pid}`;
// itda's own static files (STATICFILES_DIRS too); its CSS may use KRDS images as ../krds/img/...
const OWN_STATIC = path.join(ROOT, "itda", "static");

const KRDS = path.join(NODE_MODULES, "krds-uiux");
const KRDS_RESOURCES = path.join(KRDS, "resources");
const KRDS_CSS = path.join(KRDS_RESOURCES, "cdn", "krds.min.css");
const FONT_DIR = path.join(KRDS_RESOURCES, "fonts");
const HTMX = path.join(NODE_MODULES, "htmx.org", "dist", "htmx.min.js");
const CHART = path.join(NODE_MODULES, "chart.js", "dist", "chart.umd.min.js");

// Weights KRDS uses (regular 400, bold 700) plus medium 500, which the package also ships.
const FONT_WEIGHTS = [
  { weight: 400, file: "PretendardGOV-Regular.subset.woff2" },
  { weight: 500, file: "PretendardGOV-Medium.subset.woff2" },
  { weight: 700, file: "PretendardGOV-Bold.subset.woff2" },
];
const FONT_FAMILY = "Pretendard GOV";

class BuildError extends Error {}

function fail(message) {
  throw new BuildError(message);
}

function requireFile(file, hint) {
  if (!fs.existsSync(file)) {
    fail(`missing ${path.relative(ROOT, file)}${hint ? ` (${hint})` : ""}`);
  }
}

function packageVersion(name) {
  const pkg = path.join(NODE_MODULES, name, "package.json");
  requireFile(pkg, "run `npm ci` first");
  return JSON.parse(fs.readFileSync(pkg, "utf8")).version;
}

function writeFile(rel, content) {
  const dest = path.join(TMP, rel);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, content);
  return dest;
}

function copyFile(src, rel) {
  const dest = path.join(TMP, rel);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(src, dest);
  return dest;
}

// Source maps are not shipped: drop the trailing comment so that browsers' dev tools do not ask for
// a missing file and Django's ManifestStaticFilesStorage does not fail on it in production.
function stripSourceMap(text) {
  return text.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n").replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "\n");
}

// Map one url(...) target of the KRDS CSS to a file inside krds-uiux/resources, or null when it
// should stay as it is (data: URIs, fragments).
function resolveKrdsAsset(target, cssSourceDir) {
  if (/^(data:|#)/i.test(target)) return null;
  let resourcePath;
  if (/^(https?:)?\/\//i.test(target)) {
    // https://www.krds.go.kr/resources/img/... -> img/...
    const pathname = new URL(target, "https://placeholder.invalid").pathname;
    const marker = "/resources/";
    const at = pathname.indexOf(marker);
    if (at === -1) fail(`remote url(${target}) in KRDS CSS has no /resources/ path to map`);
    resourcePath = path.join(KRDS_RESOURCES, decodeURIComponent(pathname.slice(at + marker.length)));
  } else {
    const clean = target.split(/[?#]/)[0];
    resourcePath = path.resolve(cssSourceDir, decodeURIComponent(clean));
  }
  const rel = path.relative(KRDS_RESOURCES, resourcePath);
  if (rel.startsWith("..") || path.isAbsolute(rel)) {
    fail(`url(${target}) in KRDS CSS points outside krds-uiux/resources`);
  }
  if (!fs.existsSync(resourcePath)) {
    fail(`url(${target}) in KRDS CSS: ${path.relative(ROOT, resourcePath)} does not exist`);
  }
  return rel.split(path.sep).join("/");
}

// KRDS bundles Swiper's CSS, whose icon font is an inline data: URI. CSP font-src 'self' blocks it
// (a console error on every page) and itda ships no Swiper script, so the rule goes.
function dropDataUriFonts(css) {
  return css.replace(/@font-face\s*\{[^}]*url\(\s*['"]?\s*data:[^}]*\}/gi, "");
}

function buildKrdsCss() {
  requireFile(KRDS_CSS, "run `npm ci` first");
  const source = dropDataUriFonts(fs.readFileSync(KRDS_CSS, "utf8"));
  const copied = new Set();
  const css = source.replace(/url\(\s*(['"]?)([^'")]*?)\1\s*\)/g, (match, quote, target) => {
    const rel = resolveKrdsAsset(target.trim(), path.dirname(KRDS_CSS));
    if (rel === null) return match;
    if (!copied.has(rel)) {
      copyFile(path.join(KRDS_RESOURCES, rel), path.join("krds", rel));
      copied.add(rel);
    }
    // krds.min.css sits at krds/, the images at krds/<rel>: the relative URL is <rel> itself.
    return `url("${rel}")`;
  });
  writeFile(path.join("krds", "krds.min.css"), stripSourceMap(css));
  return copied.size;
}

// itda.css may point at KRDS icons the KRDS CSS itself does not use (e.g. ico_warning_fill.svg):
// copy those too, and fail on any url() in our own CSS that resolves to nothing.
function buildOwnCssAssets() {
  if (!fs.existsSync(OWN_STATIC)) return 0;
  let copied = 0;
  for (const file of walk(OWN_STATIC)) {
    if (!file.endsWith(".css")) continue;
    const rel = path.relative(OWN_STATIC, file);
    const text = fs.readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    for (const m of text.matchAll(/url\(\s*(['"]?)([^'")]*?)\1\s*\)/g)) {
      const target = m[2].trim();
      if (/^(data:|#)/i.test(target)) continue;
      if (/^([a-z]+:)?\/\//i.test(target)) fail(`itda/static/${rel}: remote url(${target})`);
      // Resolve in the static URL space, where itda/static and static_build are merged.
      const staticPath = path.posix.normalize(
        path.posix.join(path.posix.dirname(rel.split(path.sep).join("/")), target.split(/[?#]/)[0]),
      );
      if (staticPath.startsWith("..")) fail(`itda/static/${rel}: url(${target}) leaves the static root`);
      if (fs.existsSync(path.join(OWN_STATIC, staticPath)) || fs.existsSync(path.join(TMP, staticPath))) continue;
      const krdsPrefix = "krds/";
      const source = path.join(KRDS_RESOURCES, staticPath.slice(krdsPrefix.length));
      if (!staticPath.startsWith(krdsPrefix) || !fs.existsSync(source)) {
        fail(`itda/static/${rel}: url(${target}) matches no static file`);
      }
      copyFile(source, staticPath);
      copied += 1;
    }
  }
  return copied;
}

function buildFonts() {
  const rules = [
    `/* Pretendard GOV, from krds-uiux ${packageVersion("krds-uiux")} (resources/fonts).`,
    "   KRDS ships the files but no @font-face rule; itda declares the family here. */",
  ];
  for (const { weight, file } of FONT_WEIGHTS) {
    const src = path.join(FONT_DIR, file);
    requireFile(src, "krds-uiux no longer ships this font file");
    copyFile(src, path.join("fonts", file));
    rules.push(
      [
        "@font-face {",
        `  font-family: "${FONT_FAMILY}";`,
        "  font-style: normal;",
        `  font-weight: ${weight};`,
        "  font-display: swap;",
        `  src: url("${file}") format("woff2");`,
        "}",
      ].join("\n"),
    );
  }
  writeFile(path.join("fonts", "fonts.css"), `${rules.join("\n")}\n`);
  return FONT_WEIGHTS.length;
}

function buildVendorJs() {
  for (const [src, name] of [
    [HTMX, "htmx.min.js"],
    [CHART, "chart.umd.min.js"],
  ]) {
    requireFile(src, "run `npm ci` first");
    writeFile(path.join("vendor", name), stripSourceMap(fs.readFileSync(src, "utf8")));
  }
}

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

// The guarantee: no CSS we produced may load anything from another host or a data: font (CSP), and
// no file may refer to a source map or asset we did not ship.
function scanOutput() {
  const problems = [];
  for (const file of walk(TMP)) {
    const rel = path.relative(TMP, file);
    if (file.endsWith(".css")) {
      // data: URIs may legitimately contain "http://www.w3.org/2000/svg"; look outside them.
      const raw = fs.readFileSync(file, "utf8");
      const text = raw.replace(/url\(\s*(['"]?)data:[\s\S]*?\1\s*\)/gi, "url(data:)");
      for (const m of raw.matchAll(/@font-face\s*\{[^}]*\}/gi)) {
        if (/data:/i.test(m[0])) problems.push(`${rel}: data: font (CSP font-src 'self'): ${m[0].slice(0, 80)}`);
      }
      const patterns = [
        [/url\(\s*['"]?\s*(?:https?:)?\/\/[^)]*\)/gi, "remote url()"],
        [/@import\s+(?:url\()?\s*['"]?\s*(?:https?:)?\/\/[^;]*;/gi, "remote @import"],
        [/https?:\/\/[^\s'")]+/gi, "absolute http(s) reference"],
        [/sourceMappingURL/g, "source map reference"],
      ];
      for (const [re, what] of patterns) {
        for (const m of text.matchAll(re)) problems.push(`${rel}: ${what}: ${m[0].slice(0, 120)}`);
      }
      for (const m of text.matchAll(/url\(\s*(['"]?)([^'")]*?)\1\s*\)/g)) {
        const target = m[2].trim();
        if (/^(data:|#)/i.test(target)) continue;
        const local = path.resolve(path.dirname(file), target.split(/[?#]/)[0]);
        if (!fs.existsSync(local)) problems.push(`${rel}: url(${target}) is not in the build`);
      }
    } else if (file.endsWith(".js")) {
      const text = fs.readFileSync(file, "utf8");
      for (const m of text.matchAll(/sourceMappingURL=\S+/g)) {
        problems.push(`${rel}: source map reference: ${m[0]}`);
      }
    }
  }
  return problems;
}

function humanSize(bytes) {
  return bytes > 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} kB`;
}

function main() {
  fs.rmSync(TMP, { recursive: true, force: true });
  fs.mkdirSync(TMP, { recursive: true });
  try {
    const images = buildKrdsCss() + buildOwnCssAssets();
    const fonts = buildFonts();
    buildVendorJs();
    const problems = scanOutput();
    if (problems.length) {
      fail(`external or missing references remain in the build:\n  ${problems.join("\n  ")}`);
    }
    fs.rmSync(OUT, { recursive: true, force: true });
    fs.renameSync(TMP, OUT);
    let bytes = 0;
    let files = 0;
    for (const file of walk(OUT)) {
      bytes += fs.statSync(file).size;
      files += 1;
    }
    console.log(
      `build_static: ${path.relative(ROOT, OUT)}/ — krds-uiux ${packageVersion("krds-uiux")} ` +
        `(${images} images), ${fonts} Pretendard GOV weights, htmx ${packageVersion("htmx.org")}, ` +
        `chart.js ${packageVersion("chart.js")}; ${files} files, ${humanSize(bytes)}; no external references`,
    );
  } catch (err) {
    fs.rmSync(TMP, { recursive: true, force: true });
    if (err instanceof BuildError) {
      console.error(`build_static: FAILED: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

main();
