"""Loaders: turn the files of a corpus folder into `Document`s, never crash on bad input.

One bad file never stops the rest: `load_corpus` records why each file was skipped (or what was
odd about it) in a `LoadReport`, which the terminal shows with `LoadReport.summary()`.

Formats: .txt/.md (encoding detected), .html/.htm (main text via trafilatura, stdlib fallback),
.pdf (pypdf, pages joined with PAGE_BREAK), .docx (python-docx, tables kept in place) and .jsonl
(ready passages, one per line). Heavy libraries are imported inside the functions that use them.

Citation metadata comes from the document itself (title, date, publisher, region, script), then
from `metadata.json` beside the documents, field by field.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import json
import logging
import os
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from app.models import PAGE_BREAK, DocMeta, Document
from app.text.glossary import SHORT_PROVINCE

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".jsonl"})
MAX_FILE_BYTES: int = 50 * 1024 * 1024
METADATA_FILE = "metadata.json"
TITLE_MAX_CHARS = 60
HEAD_CHARS = 1500  # dates are looked for in the first HEAD_CHARS characters
MAX_LINE_WARNINGS = 20  # per .jsonl file; the rest are counted in one last warning

SCANNED_PDF_REASON = "no text layer (scanned PDF?): OCR is not supported"

log = logging.getLogger(__name__)

# The 1500 most frequent Chinese characters (simplified), counted over jieba's dictionary weighted
# by word frequency. With their traditional forms they cover ~93% of running Chinese text, while a
# wrong decoding (Big5 bytes read as GBK or the reverse) yields mostly rare characters.
_FREQUENT_SIMPLIFIED = (
    "一是人了不在有大中国和为这上他个地年来我会以到时要出的生学说道民家子也成行下们于后就发自之对得主长可"
    "过天作分方用多你着部能市等业全里工公经本都而高政法面门动日进区事代那去心小同北定开产前其军还然起种所"
    "如现理机体表力好外与文当两实重新三么只山水关明从化平建又制南内西没此将员名手最东头者月间无安看见各城"
    "十相但已些正口通想度加第她合院物性战由位常点海意场武使次二向治因立数样身情入原问把路被并利石老教万知"
    "级量任江及应省资委务元美特期世湖回系比气汉总展电科金先声提品设或义王社很统处四首共马形己儿司太目基领"
    "队直计别女权话少流命至报米给打变果书清活几州华解议更称程今决张导术府才保交放管结师便走达族反再题色五"
    "京河接条规式县白它改风光运信受什组听布百济党指论强做取技黄神选记斯真却职号界件花类何眼兵传带空干农边"
    "据集联古广完质阳难增历史专官每住商即步认车台林必死游举线言皇土团收考求德叫近备研争非具李众连调感转笑"
    "革该持始英克士尔让拉思根格造较际亲单朝红型价校约器字段周亚深候则功属积快图火千准究往极育装许参半令吃"
    "观鱼精办像帝八复影告远群包整构料随划算象容示投势热值夫网望源息语股铁断派速怎需片爱律纪支早况病境证编"
    "越局推满且列觉服双未居除乐企引标确织初青志率项飞球节察龙响药站施均消客失轻存低甚般击曾防请离落显罗营"
    "足素视护副食创余照兴占巴虽洲村费易试星木黑左宝置跟央识维采六底宫房音环案批切斗富乡另倒若按查故突责严"
    "桥模仅胜杀围席态破承招杨负层须父供续状域似依银范修找九致密终血旅钱赛独细效玉冲获习医演毛尽脸弹楼艺航"
    "陆右协七攻镇检写苏宗章注阿抗弟坐验封紧劳户优财养适陈喜卫排射哥油刻留急降念云微伤例景拿绝阶座刘刚害印"
    "亿沙母酒助闻超审待压升送监策略限竟香配藏敌呢差仍兰温园树征善波哪词岛止预怕继皮执味份角草男普答益谁船"
    "惊核街夏宣掌田久著画辑奇尼剑吧谈背免孩礼材愿洋春架筑括晚乱乎讲尚良友临激刀夜室既敢邦挥昌板胡欧福港叶"
    "简苦担句岁荆贵娘守辖威宜衣帮块堂额错剧充欢够孙班呼阵销坚练脚退读测吴希宁换版异某顾曲楚典朱毒菜判救宋"
    "茶洪含顺啊鲜败货矿端兄归冷忙买险康评肉吗厂永哈沉散遗停笔假输牛洞松渐顶训录否述毕督控丰献姑忽爷互亮纳"
    "襄登咱钟伯臣雄季脑介鄂召饭暗扩祖齐短烈赶牌恩诉移诗础露届蒙静喝盘卖植授伊湾博痛减穿逐秘庭陵固禁票灵杂"
    "姓泽吸侧庆妈遇追甲馆补唐炮沿殿刺怪彩俄旧警索岸轮妇载靠附毫怀软骨探雷旁罪枪牙迎序慢盛雨墙恶谷顿危稳熟"
    "概酸操诸绿佛荣针托宽折野付午肯库厚缺罢耳屋嘴末谢巨培页瓦款犯困店智拥雪翻圣戏旗吉婚奖岩疑币圆歌廷健卡"
    "烧析讨跑烟误仙疗舞亡闭汽伸脱秋姐繁侵川莫麻秀借寻私岗卷跳丽横驻套兼您君丁束纸夺袁灯坏坦丝径购阴床瞧择"
    "墓宪峰遍鲁庙掉丹桃御舰避售怒课播拔奥延虚隐粮络遭摇潜庄混厅婆奴鼓赵访睡震予童徐韦殖抓拜吨扬址洛休纵逃"
    "染纷贸透汇灭蛋森仪塔距狐融郡缓聚盖拍迹忠释润粉涓孔岭搜紫虑促抵钢塞寺津液码虎坛珍硬梁奔累役偏迫锛凡损"
    "壁哭替税综伦冰盟挂韩竞乌尤弱铺妹秦尊竹珠迅脉泥鬼纯睛刑途隆潮幅杯握谋剂幸奉乘抱朋谓频崇壮骑紝恐享鸡虫"
    "绍铜呈泛械摆欲奶敬措爆暴签猛郭嘉障缩亦废搞胞埃曰撤暖寒订俗绩阻盐萨勒忘奏孝贴灰梅触玩默醒胸莲篇柱裁啦"
    "淡抢捕闹纺截讯朗誉雅忍梦伙勇峡徒丈尾迷唱泉泰佳残闪伍呀疾署剩贼冠倾豆申贫诺麦泪羊尖辈镜涉贡爹缘摩妻殊"
    "贝零映甘骂糖岳饮奋棉雕跃汗冒渡努赞启阁斤裂患伏池鹿洗劲晋倍圈媒箭沟锋胆凭挑抬闯隔弄曹汤苗迁叹唯振储贯"
    "彻桌祭符僧衡炸旋喊凤黎郎援肥磁忌赏辽祥董仁辛瑞询敏浪貌毁昨巧腿抽荷陷焦净腹弃乃湘亩滑狗冬宏皆番尸伟桂"
    "览恢龄绕趣晶坡魏摸伴墨浓绪舍蓝荡阅井鸿旦惯症鸟窗扎辞聘穷堰宇键荒递恨隶厉杜闲腰袭侍灾涨叔湿寨幕豪郑磨"
)


class LoadError(Exception):
    """A file that cannot be turned into documents; the message is the reason shown to people."""

    @property
    def reason(self) -> str:
        return str(self.args[0]) if self.args else "unreadable"


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)  # paths relative to the corpus root
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path, what was odd)
    documents: int = 0  # documents produced (a .jsonl file gives many)

    def summary(self) -> str:
        """Counts on the first line, then one line per skipped file and per warning, with the reason."""
        counts = _plural(len(self.loaded), "file")
        if self.documents:  # 0 when the caller merged reports without counting documents
            counts += f" ({_plural(self.documents, 'document')})"
        lines = [f"Loaded {counts}; skipped {len(self.skipped)}; {_plural(len(self.warnings), 'warning')}."]
        lines += [f"  skipped {path}: {reason}" for path, reason in self.skipped]
        lines += [f"  warning {path}: {reason}" for path, reason in self.warnings]
        return "\n".join(lines)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------- corpus walking


def load_corpus(path: Path, max_file_bytes: int = MAX_FILE_BYTES) -> tuple[list[Document], LoadReport]:
    """A folder (walked recursively, sorted, hidden files and metadata.json ignored) or a single file.

    Never raises for bad input: every problem ends up in the report. A missing path is reported as
    skipped, a broken metadata.json as a warning (the documents then load without it).
    """
    path = Path(path)
    report = LoadReport()
    docs: list[Document] = []
    if not path.exists():
        report.skipped.append((str(path), "no such file or folder"))
        return docs, report

    if path.is_dir():
        root = path
        files = _walk(root)
        metadata = _collect_metadata(root, report)
    else:
        root = path.parent
        files = [path]
        metadata = _collect_metadata(root, report, recursive=False)

    seen_hashes: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    for file in files:
        rel = _relative(file, root)
        try:
            reason = _precheck(file, max_file_bytes)
            if reason:
                report.skipped.append((rel, reason))
                continue
            data = file.read_bytes()
            file_hash = hashlib.sha256(data).hexdigest()
            if file_hash in seen_hashes:
                report.skipped.append((rel, f"duplicate of {seen_hashes[file_hash]}"))
                continue
            file_docs, file_warnings = _load_bytes(file, data, rel, metadata, file_hash)
        except LoadError as exc:
            report.skipped.append((rel, exc.reason))
            continue
        except Exception as exc:  # one bad file must never stop the rest
            report.skipped.append((rel, f"unexpected error: {type(exc).__name__}: {exc}"))
            continue
        seen_hashes[file_hash] = rel
        report.warnings += [(rel, w) for w in file_warnings]
        kept = _unique_ids(file_docs, rel, seen_ids, report)
        if kept:
            report.loaded.append(rel)
            docs += kept
    report.documents = len(docs)
    return docs, report


def load_file(path: Path, root: Path | None = None) -> list[Document]:
    """One file → its documents (a .jsonl gives one per line). Raises LoadError(reason) if unreadable.

    `root` is the corpus folder (default: the file's folder); doc_id and source_path are relative to
    it and its metadata.json applies (a broken metadata.json is ignored here; load_corpus reports it).
    Problems that do not stop the file (bad .jsonl lines, pages without text) are only logged.
    """
    path = Path(path)
    root = Path(root) if root is not None else path.parent
    rel = _relative(path, root)
    if not path.is_file():
        raise LoadError("no such file")
    reason = _precheck(path, MAX_FILE_BYTES)
    if reason:
        raise LoadError(reason)
    try:
        metadata = _collect_metadata(root, LoadReport(), recursive=False)
    except Exception:
        metadata = {}
    data = path.read_bytes()
    docs, warnings = _load_bytes(path, data, rel, metadata, hashlib.sha256(data).hexdigest())
    for warning in warnings:
        log.warning("%s: %s", rel, warning)
    return docs


def read_metadata(folder: Path) -> dict[str, dict]:
    """metadata.json beside the documents, keyed by relative file name; {} if absent.

    Keys starting with "_" (comments such as "_about") are dropped. Raises LoadError with a clear
    message when the file is not valid JSON or not an object of objects.
    """
    file = Path(folder) / METADATA_FILE
    if not file.is_file():
        return {}
    try:
        raw = json.loads(file.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise LoadError(f"{METADATA_FILE} is not UTF-8: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"{METADATA_FILE} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    except OSError as exc:
        raise LoadError(f"cannot read {METADATA_FILE}: {exc}") from exc
    if not isinstance(raw, dict):
        raise LoadError(f"{METADATA_FILE} must be a JSON object keyed by file name, not {type(raw).__name__}")
    out: dict[str, dict] = {}
    for key, entry in raw.items():
        if key.startswith("_"):
            continue
        if not isinstance(entry, dict):
            raise LoadError(f"{METADATA_FILE}: entry {key!r} must be an object, not {type(entry).__name__}")
        out[key.replace("\\", "/")] = entry
    return out


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not _hidden(d)]
        found += [Path(dirpath) / f for f in filenames if not _hidden(f) and f != METADATA_FILE]
    return sorted(found, key=lambda p: _relative(p, root))


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _collect_metadata(root: Path, report: LoadReport, recursive: bool = True) -> dict[str, dict]:
    """Every metadata.json under root, keys made relative to root."""
    folders = [root]
    if recursive:
        folders += sorted({f.parent for f in _walk_metadata(root)} - {root})
    merged: dict[str, dict] = {}
    for folder in folders:
        prefix = _relative(folder, root) + "/" if folder != root else ""
        try:
            entries = read_metadata(folder)
        except LoadError as exc:
            report.warnings.append((prefix + METADATA_FILE, f"{exc.reason}; metadata ignored"))
            continue
        merged.update({prefix + key: entry for key, entry in entries.items()})
    return merged


def _walk_metadata(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not _hidden(d)]
        if METADATA_FILE in filenames:
            yield Path(dirpath) / METADATA_FILE


def _precheck(path: Path, max_file_bytes: int) -> str | None:
    """Reasons to skip a file without reading it."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        what = f"format {suffix}" if suffix else "file without suffix"
        return f"unsupported {what} (supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})"
    size = path.stat().st_size
    # A .jsonl holds many ready passages (a whole benchmark corpus), not one document: the
    # per-document limit does not apply; it is read line by line.
    if size > max_file_bytes and suffix != ".jsonl":
        return f"too large: {_size(size)} > {_size(max_file_bytes, limit=True)} limit"
    if size == 0:
        return "empty file"
    return None


def _size(n: int, limit: bool = False) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            value = n / scale
            return f"{value:g} {unit}" if limit else f"{value:.1f} {unit}"
    return f"{n} bytes"


def _unique_ids(docs: list[Document], rel: str, seen: dict[str, str], report: LoadReport) -> list[Document]:
    """doc_ids must be unique: a file whose id is taken keeps its suffix; a passage id taken is dropped."""
    kept = []
    for doc in docs:
        if doc.doc_id in seen:
            if not doc.is_passage and rel not in seen:
                taken_by = seen[doc.doc_id]
                report.warnings.append((rel, f"doc_id {doc.doc_id!r} already used by {taken_by}: id {rel!r}"))
                doc.doc_id = rel
            else:
                taken_by = seen[doc.doc_id]
                report.warnings.append((rel, f"id {doc.doc_id!r} already used by {taken_by}: skipped"))
                continue
        seen[doc.doc_id] = rel
        kept.append(doc)
    return kept


# --------------------------------------------------------------------------- one file


def _load_bytes(
    path: Path, data: bytes, rel: str, metadata: dict[str, dict], file_hash: str
) -> tuple[list[Document], list[str]]:
    """Dispatch on the suffix. Returns the documents and non-fatal warnings; raises LoadError."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(f"unsupported format {suffix}")
    if not data.strip():
        raise LoadError("empty file")
    warnings: list[str] = []
    entry = _metadata_entry(metadata, rel)
    if suffix == ".jsonl":
        return _load_jsonl(data, rel, entry, warnings), warnings

    title: str | None = None
    site: str | None = None
    meta_hints: dict[str, str] = {}
    if suffix in (".txt", ".md"):
        text, encoding = decode_text(data)
        if encoding not in ("utf-8", "ascii"):
            meta_hints["encoding"] = encoding
        if "\ufffd" in text and encoding != "utf-8":
            warnings.append(f"decoded as {encoding} with {text.count(chr(0xFFFD))} undecodable characters")
        if suffix == ".md":
            title = _markdown_title(text)
    elif suffix in (".html", ".htm"):
        text, title, site, meta_hints, page_text = _read_html(data, warnings)
        meta_hints["page_text"] = page_text
    elif suffix == ".pdf":
        text = _read_pdf(data, warnings)
    else:
        text = _read_docx(data)
    text = _normalise_newlines(text)
    if not text.replace(PAGE_BREAK, "").strip():
        raise LoadError("empty file" if suffix in (".txt", ".md") else "no text found")

    meta = extract_meta(text, rel, title=title, site=site, hints=meta_hints)
    _apply_metadata(meta, entry)
    doc_id = rel.rsplit(".", 1)[0] if "." in Path(rel).name else rel
    return [Document(doc_id=doc_id, text=text, meta=meta, content_hash=file_hash)], warnings


def _metadata_entry(metadata: dict[str, dict], rel: str) -> dict:
    if rel in metadata:
        return metadata[rel]
    stem = rel.rsplit(".", 1)[0]
    return metadata.get(stem, {})


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


# --------------------------------------------------------------------------- encodings

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_BYTES = frozenset(range(0, 9)) | frozenset(range(14, 32)) - {27}
_SCORE_SAMPLE = 64 * 1024


def decode_text(data: bytes) -> tuple[str, str]:
    """Bytes of a text file → (text, encoding name). Raises LoadError("binary file, not text").

    Order: BOM (UTF-8, UTF-16/32 LE/BE); strict UTF-8; UTF-16 without BOM only when the NUL bytes
    say so; else GB18030 vs Big5 (cp950) scored on decode errors and the share of frequent
    characters, with charset-normalizer breaking ties.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            name = encoding.replace("-sig", "")
            try:
                text = data[len(bom) :].decode(name)
            except UnicodeDecodeError:
                if encoding.startswith("utf-32"):
                    continue  # FF FE 00 00 may be UTF-16 LE starting with U+0000: try the next BOM
                text = data[len(bom) :].decode(name, errors="replace")
            if not _looks_like_text(text):
                raise LoadError("binary file, not text")
            return text, name
    head = data[:8192]
    if b"\x00" in head:  # only UTF-16 text has NUL bytes
        utf16 = _utf16_without_bom(data)
        if utf16:
            return utf16
        raise LoadError("binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not _looks_like_text(text):
            raise LoadError("binary file, not text")
        return text, "utf-8"
    utf16 = _utf16_without_bom(data)  # Chinese-only UTF-16 has no NULs: accepted only if clearly so
    if utf16:
        return utf16
    if sum(b in _CONTROL_BYTES for b in head) > len(head) * 0.05:
        raise LoadError("binary file, not text")
    encoding, score, errors, n = _guess_chinese_encoding(data)
    if errors > 0.05 or (n >= 20 and score < 0.2):  # real Chinese text scores ~0.9, noise below 0
        raise LoadError("binary file, not text (undecodable as UTF-8, GB18030 or Big5)")
    return data.decode(encoding, errors="replace"), encoding


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 only when clearly so: NULs concentrated on one byte parity, or a clean, CJK-rich decode."""
    if len(data) % 2:
        return None
    head = data[:8192]
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    candidates = []
    if odd > 4 * even and odd >= len(head) // 20:
        candidates.append("utf-16-le")
    if even > 4 * odd and even >= len(head) // 20:
        candidates.append("utf-16-be")
    if not candidates and b"\x00" not in head:
        # pure CJK UTF-16 has no NULs: accept only a decode that is clearly better than GB18030/Big5
        for encoding in ("utf-16-le", "utf-16-be"):
            score, errors, _ = _encoding_score(data[:_SCORE_SAMPLE], encoding)
            if errors == 0 and score >= 0.8:
                other_score = _guess_chinese_encoding(data)[1]
                if score >= other_score + 0.3:
                    candidates.append(encoding)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, encoding
    return None


def _looks_like_text(text: str) -> bool:
    sample = text[:4096]
    bad = sum(
        1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\v\f\r\x1b") or 0xE000 <= ord(ch) <= 0xF8FF
    )
    return bad <= len(sample) * 0.05


@lru_cache(maxsize=1)
def _frequent_chars() -> frozenset[str]:
    simplified = "".join(_FREQUENT_SIMPLIFIED)
    return frozenset(simplified) | frozenset(_converter("s2t").convert(simplified))


def _is_cjk(o: int) -> bool:
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


def _encoding_score(sample: bytes, encoding: str) -> tuple[float, float, int]:
    """(score, error share, non-ASCII characters): frequent characters minus penalties, per non-ASCII one."""
    text = sample.decode(encoding, errors="replace")
    if len(sample) == _SCORE_SAMPLE:
        text = text[:-2]  # the sample may end inside a character
    frequent = _frequent_chars()
    errors = hits = odd = cjk = 0
    for ch in text:
        o = ord(ch)
        if o < 0x80:
            continue
        if ch == "\ufffd":
            errors += 1
        elif _is_cjk(o):
            cjk += 1
            hits += ch in frequent
        elif not _is_punctuation(o):
            odd += 1  # kana, Greek, box drawing…: what a wrong double-byte decoding produces
    n = cjk + odd + errors
    if n == 0:
        return 0.0, 0.0, 0
    return (hits - 3 * errors - odd) / n, errors / n, n


def _is_punctuation(o: int) -> bool:
    return 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F or o in (0xB7, 0xD7)


def _guess_chinese_encoding(data: bytes) -> tuple[str, float, float, int]:
    """GB18030 or Big5 (as cp950): (encoding, score, error share, non-ASCII characters)."""
    sample = data[:_SCORE_SAMPLE]
    scored = {enc: _encoding_score(sample, enc) for enc in ("gb18030", "cp950")}
    gb_score, big5_score = scored["gb18030"][0], scored["cp950"][0]
    if abs(gb_score - big5_score) < 0.05:
        best = _charset_normalizer_pick(sample) or "gb18030"
    else:
        best = "gb18030" if gb_score > big5_score else "cp950"
    return (best, *scored[best])


def _charset_normalizer_pick(sample: bytes) -> str | None:
    try:
        import charset_normalizer

        match = charset_normalizer.from_bytes(sample, cp_isolation=["gb18030", "big5"]).best()
    except Exception:
        return None
    if match is None:
        return None
    return "cp950" if "big5" in match.encoding or "950" in match.encoding else "gb18030"


# --------------------------------------------------------------------------- HTML

_SKIP_TAGS = frozenset(
    {"script", "style", "nav", "header", "footer", "noscript", "template", "svg", "iframe"}
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "main", "h1", "h2", "h3", "h4",
     "h5", "h6", "blockquote", "pre", "hr", "dd", "dt", "dl", "figcaption", "title"}
)  # fmt: skip
_DATE_META = frozenset(
    {"pubdate", "publishdate", "article:published_time", "dc.date", "date", "firstpublishedtime"}
)
_CHARSET_META = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312": "gb18030",
                    "big5": "cp950", "x-big5": "cp950", "big5-hkscs": "big5hkscs"}  # fmt: skip


_HTML_SPACE = re.compile(r"[ \t\r\n]+")


class _PageParser(HTMLParser):
    """Stdlib fallback: visible text without script/style/nav/header/footer; title, first h1, meta tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.main_depth = 0
        self.pre_depth = 0
        self.parts: list[str] = []
        self.main_parts: list[str] = []
        self.title = ""
        self.h1 = ""
        self.meta: dict[str, str] = {}
        self._in: str | None = None  # "title" or "h1" while inside one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        elif tag in ("article", "main"):
            self.main_depth += 1
        elif tag == "pre":
            self.pre_depth += 1
        elif tag == "meta":
            a = {k.lower(): (v or "") for k, v in attrs}
            key = (a.get("name") or a.get("property") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"].strip())
        if tag == "title" or (tag == "h1" and not self.h1):
            self._in = tag
        if tag in _BLOCK_TAGS:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1
        elif tag in ("article", "main") and self.main_depth:
            self.main_depth -= 1
        elif tag == "pre" and self.pre_depth:
            self.pre_depth -= 1
        if tag == self._in:
            self._in = None
        if tag in _BLOCK_TAGS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
            return
        if self.skip_depth:
            return
        if self._in == "h1":
            self.h1 += data
        if not self.pre_depth:  # source line breaks are just spaces in HTML
            data = _HTML_SPACE.sub(" ", data)
        self.parts.append(data)
        if self.main_depth:
            self.main_parts.append(data)

    def _newline(self) -> None:
        self.parts.append("\n")
        if self.main_depth:
            self.main_parts.append("\n")

    def text(self, main_only: bool = False) -> str:
        raw = "".join(self.main_parts if main_only else self.parts)
        lines = (re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in raw.split("\n"))
        return "\n".join(line for line in lines if line)


def _decode_html(data: bytes) -> str:
    if not any(data.startswith(bom) for bom, _ in _BOMS):
        match = _CHARSET_META.search(data[:4096])
        if match:
            name = match.group(1).decode("ascii", "ignore").lower()
            name = _CHARSET_ALIASES.get(name, name)
            try:
                return data.decode(codecs.lookup(name).name)
            except (LookupError, UnicodeDecodeError):
                pass  # unknown or wrong label: detect instead
    return decode_text(data)[0]


def _read_html(data: bytes, warnings: list[str]) -> tuple[str, str | None, str | None, dict[str, str], str]:
    """→ (main text, title, site, hints for metadata, whole visible page text)."""
    html = _decode_html(data)
    parser = _PageParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception as exc:  # html.parser is lenient; this is belt and braces
        warnings.append(f"HTML parser: {type(exc).__name__}: {exc}")
    page_text = parser.text()

    text = ""
    try:
        import trafilatura

        text = trafilatura.extract(html, include_comments=False, include_tables=True) or ""
    except ImportError as exc:
        warnings.append(f"trafilatura unavailable ({exc.msg.splitlines()[0]}): plain tag-stripping used")
    except Exception as exc:
        warnings.append(f"trafilatura failed ({type(exc).__name__}): plain tag-stripping used")
    if not text.strip():
        text = parser.text(main_only=True) or page_text

    title = site = None
    raw_title = re.sub(r"\s+", " ", parser.title).strip()
    if raw_title:
        title, site = split_web_title(raw_title)
    elif parser.h1.strip():
        title = re.sub(r"\s+", " ", parser.h1).strip()
    site = parser.meta.get("og:site_name") or parser.meta.get("sitename") or site
    hints: dict[str, str] = {}
    for key in _DATE_META:
        if parser.meta.get(key):
            hints["meta_date"] = parser.meta[key]
            break
    if parser.meta.get("contentsource"):
        hints["meta_publisher"] = parser.meta["contentsource"]
    return text, title, site, hints, page_text


# --------------------------------------------------------------------------- PDF


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    old = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(old)


def _read_pdf(data: bytes, warnings: list[str]) -> str:
    import pypdf

    with _quiet("pypdf"):
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise LoadError("corrupt or unreadable PDF: encrypted, a password is required")
            pages = list(reader.pages)
        except LoadError:
            raise
        except pypdf.errors.DependencyError as exc:  # AES needs the optional 'cryptography' package
            raise LoadError(f"corrupt or unreadable PDF: encrypted, cannot decrypt: {exc}") from exc
        except Exception as exc:
            raise LoadError(f"corrupt or unreadable PDF: {type(exc).__name__}: {exc}") from exc
        if not pages:
            raise LoadError("corrupt or unreadable PDF: no pages found")
        texts: list[str] = []
        failed: list[int] = []
        for number, page in enumerate(pages, 1):
            try:
                texts.append((page.extract_text() or "").strip("\n"))
            except pypdf.errors.DependencyError as exc:
                raise LoadError(f"corrupt or unreadable PDF: encrypted, cannot decrypt: {exc}") from exc
            except Exception:
                failed.append(number)
                texts.append("")
    if not any(t.strip() for t in texts):
        if failed:
            raise LoadError("corrupt or unreadable PDF: no page could be read")
        raise LoadError(SCANNED_PDF_REASON)
    if failed:
        warnings.append(f"text of page(s) {_ranges(failed)} could not be extracted")
    blank = [n for n, t in enumerate(texts, 1) if not t.strip() and n not in failed]
    if blank:
        warnings.append(f"page(s) {_ranges(blank)} have no text layer (scanned?): OCR is not supported")
    return PAGE_BREAK.join(texts)


def _ranges(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:10]))
    return shown + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")


# --------------------------------------------------------------------------- DOCX


def _read_docx(data: bytes) -> str:
    try:
        import docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines += _table_rows(block)
            else:
                lines.append(block.text.strip())
    except Exception as exc:
        raise LoadError(f"corrupt or unreadable DOCX: {type(exc).__name__}: {exc}") from exc
    return "\n".join(line for line in lines if line)


def _table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        last = None
        for cell in row.cells:
            if cell._tc is last:  # a merged cell repeats: show it once
                continue
            last = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


# --------------------------------------------------------------------------- JSONL passages

_PASSAGE_FIELDS = frozenset(DocMeta.__dataclass_fields__) - {"extra", "source_path", "title"}


def _load_jsonl(data: bytes, rel: str, entry: dict, warnings: list[str]) -> list[Document]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = decode_text(data)[0]
    defaults = {k: v for k, v in entry.items() if k != "title"}
    docs: list[Document] = []
    bad = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        problem = None
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            row, problem = None, f"invalid JSON ({exc.msg} at column {exc.colno})"
        if problem is None:
            problem = _passage_problem(row)
        if problem:
            bad += 1
            if bad <= MAX_LINE_WARNINGS:
                warnings.append(f"line {number}: {problem}; skipped")
            continue
        docs.append(_passage(row, rel, number, defaults))
    if bad > MAX_LINE_WARNINGS:
        warnings.append(f"{bad - MAX_LINE_WARNINGS} more bad lines skipped")
    if not docs:
        raise LoadError(f"no valid passages ({bad} bad lines)" if bad else "empty file")
    return docs


def _passage_problem(row: Any) -> str | None:
    if not isinstance(row, dict):
        return f"not a JSON object but {type(row).__name__}"
    missing = [k for k in ("id", "text") if row.get(k) in (None, "")]
    if missing:
        return f"missing {' and '.join(missing)}"
    if not isinstance(row["text"], str):
        return "text is not a string"
    return None


def _passage(row: dict, rel: str, number: int, defaults: dict) -> Document:
    doc_id = str(row["id"])
    text = row["text"]
    title = str(row.get("title") or doc_id)
    meta = DocMeta(title=title, source_path=rel)
    for key, value in row.items():
        if key in ("id", "text", "title"):
            continue
        if key in _PASSAGE_FIELDS:
            setattr(meta, key, value)
        else:
            meta.extra[key] = value
    meta.extra["line"] = number
    for key, value in defaults.items():  # the file's metadata.json entry fills what the line leaves out
        if key in _PASSAGE_FIELDS:
            if getattr(meta, key) is None:
                setattr(meta, key, value)
        else:
            meta.extra.setdefault(key, value)
    if meta.script is None:
        meta.script = detect_script(text)
    content_hash = hashlib.sha256((text + title).encode("utf-8")).hexdigest()
    return Document(doc_id=doc_id, text=text, meta=meta, is_passage=True, content_hash=content_hash)


# --------------------------------------------------------------------------- metadata heuristics

_FULLWIDTH = str.maketrans("０１２３４５６７８９：／－．", "0123456789:/-.")
_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日"
    r"|[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2})(?!\d))"
)
_PUBLISHER = re.compile(
    r"(?:^|[ \t\u3000])(?:来源|來源)[ \t\u3000]*(?:[:：]|于|於)[ \t\u3000]*([^\n]+)", re.M
)
_PUBLISHER_END = re.compile(
    r"\s{2,}|\u3000|[|｜]|\s*(?:作者|编辑|編輯|责任编辑|責任編輯|发布|發布|發佈|时间|時間|日期|浏览|瀏覽|点击|點擊)"
)
_LAW_TITLE = re.compile(
    r"^《?((?:中华人民共和国|中華人民共和國)[\u4e00-\u9fff]{1,30}(?:法|条例|條例))》?"
    r"((?:[(（][^()（）\n]{1,20}[)）])?)(?=[\s（(》]|$)"
)
_WEB_TITLE_SEP = re.compile(r"\s*(?<!\d)[-_|｜](?!\d)\s*")
_SENTENCE_END = ("。", "！", "？", "；", "!", "?", ";")
_PROVINCE_RE = re.compile("|".join(sorted(SHORT_PROVINCE, key=len, reverse=True)))
_NATIONAL_PREFIX = (
    "中华人民共和国",
    "中共中央",
    "国务院",
    "全国人民代表大会",
    "全国总工会",
    "人力资源社会保障部",
)


_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


@lru_cache(maxsize=4)
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def detect_script(text: str, sample_chars: int = 20000) -> str | None:
    """Return "traditional" or "simplified" by counting the characters OpenCC t2s and s2t would change."""
    sample = text[:sample_chars]
    if not _CJK.search(sample):
        return None
    simplified = _converter("t2s").convert(sample)
    if simplified == sample:  # the common case, and cheap: nothing traditional in it
        return "simplified"
    to_simplified = _changed(sample, simplified)
    to_traditional = _changed(sample, _converter("s2t").convert(sample))
    return "traditional" if to_simplified > to_traditional else "simplified"


def _changed(a: str, b: str) -> int:
    if len(a) == len(b):
        return sum(map(str.__ne__, a, b))
    return sum((Counter(a) - Counter(b)).values())


def split_web_title(line: str) -> tuple[str, str | None]:
    """Split "X-工会-中工网" into ("X", "中工网"): a page title followed by short channel/site names."""
    parts = [p for p in _WEB_TITLE_SEP.split(line.strip()) if p]
    if len(parts) >= 2 and len(parts[0]) >= 4 and all(len(p) <= 12 for p in parts[1:]):
        return parts[0], parts[-1]
    return line.strip(), None


def _markdown_title(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip().lstrip("#").strip() or None
    return None


def find_date(text: str) -> str | None:
    """First YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日 that is a real date → "YYYY-MM-DD"."""
    for match in _DATE.finditer(text.translate(_FULLWIDTH)):
        year = int(match["y"])
        month = int(match["m1"] or match["m2"])
        day = int(match["d1"] or match["d2"])
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def find_publisher(text: str) -> str | None:
    """The value of the first "来源:" / "來源:" / "来源于" line (or byline item)."""
    match = _PUBLISHER.search(text)
    if not match:
        return None
    value = _PUBLISHER_END.split(match.group(1).strip(), maxsplit=1)[0].strip(" :：,，。")
    return value if 0 < len(value) <= 50 else None


def guess_title(text: str, fallback: str) -> str:
    """Law name on the first line; else the first non-empty line if short and not a sentence; else fallback.

    A first line like "X-工会-中工网" gives "X".
    """
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = first.replace(PAGE_BREAK, "").strip()
    law = _LAW_TITLE.match(first)
    if law:
        return law.group(1) + law.group(2)
    if first and len(first) <= TITLE_MAX_CHARS and not first.endswith(_SENTENCE_END):
        return split_web_title(first)[0]
    return fallback


def guess_region(title: str) -> str | None:
    """A province-level name in the title (湖北 → 湖北省); 全国 for national issuers; else None."""
    simplified = _converter("t2s").convert(title)
    if simplified.startswith(_NATIONAL_PREFIX):
        return "全国"
    match = _PROVINCE_RE.search(simplified)
    return SHORT_PROVINCE[match.group(0)] if match else None


def extract_meta(
    text: str,
    rel: str,
    title: str | None = None,
    site: str | None = None,
    hints: dict[str, str] | None = None,
) -> DocMeta:
    """What the document says about itself. `title`/`site` come from the format (HTML <title>)."""
    hints = hints or {}
    head = text[:HEAD_CHARS]
    stem = Path(rel).stem
    if not title:
        title = guess_title(text, stem)
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        if site is None and title != first:
            site = split_web_title(first)[1]
    date = find_date(hints.get("meta_date", "")) or find_date(head)
    if date is None and hints.get("page_text"):
        date = find_date(hints["page_text"][:HEAD_CHARS])
    publisher = hints.get("meta_publisher") or find_publisher(text)
    if publisher is None and hints.get("page_text"):
        publisher = find_publisher(hints["page_text"])
    extra: dict[str, Any] = {}
    if hints.get("encoding"):
        extra["encoding"] = hints["encoding"]
    return DocMeta(
        title=title,
        publisher=publisher,
        date=date,
        region=guess_region(title),
        script=detect_script(text),
        source_site=site,
        source_path=rel,
        extra=extra,
    )


_OVERRIDABLE = frozenset(DocMeta.__dataclass_fields__) - {"extra", "source_path"}


def _apply_metadata(meta: DocMeta, entry: dict) -> None:
    """metadata.json wins field by field; a key present with null clears the guess (except title)."""
    for key, value in entry.items():
        if key == "title" and not value:
            continue
        if key == "extra" and isinstance(value, dict):
            meta.extra.update(value)
        elif key in _OVERRIDABLE:
            setattr(meta, key, value)
        else:
            meta.extra[key] = value
