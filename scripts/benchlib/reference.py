"""The reference tools' steps in shell, run with the mksquashfs options sysextctl uses (fromjava)."""


# The steps of sysext-bakery's convert_torcx_image.sh (docs/torcx.md §3, 1-6) with bake.sh's squashfs
# step, using the same mksquashfs options as sysextctl (zstd, epoch 0, all root).
CONVERT_SH = r"""
set -euo pipefail
archive=$1; name=$2; work=$3; out=$4; shift 4
dir="$work/$name"
rm -rf "$dir"; mkdir "$dir"
tar --force-local -xf "$archive" -C "$dir"
rm -rf "$dir/.torcx"
mkdir -p "$dir/usr"
if [ -d "$dir/bin" ]; then mv "$dir/bin" "$dir/usr/"; fi
if [ -d "$dir/lib" ]; then mv "$dir/lib" "$dir/usr/"; fi
for f in "$dir"/usr/lib/systemd/system/*.service "$dir"/usr/lib/systemd/system/*.socket; do
  [ -f "$f" ] || continue
  sed -i -e 's,EnvironmentFile=/run/metadata/torcx,,g' -e 's,Environment=TORCX_IMAGEDIR=.*,,g' \
    -e 's,\[Service\],[Service]\nEnvironment=TORCX_BINDIR=/usr/bin\nEnvironment=TORCX_UNPACKDIR=/\nEnvironment=TORCX_IMAGEDIR=,g' \
    -e 's,After=torcx.target,,g' -e 's,Requires=torcx.target,,g' "$f"
done
for link in "$dir"/usr/lib/systemd/system/*.wants/*; do
  [ -e "$link" ] || [ -L "$link" ] || continue
  target=$(basename "$(dirname "$link")" .wants); unit=$(basename "$link")
  mkdir -p "$dir/usr/lib/systemd/system/$target.d"
  printf '[Unit]\nUpholds=%s\n' "$unit" > "$dir/usr/lib/systemd/system/$target.d/10-${unit/./-}.conf"
done
mkdir -p "$dir/usr/lib/extension-release.d"
printf 'ID=_any\nEXTENSION_RELOAD_MANAGER=1\n' > "$dir/usr/lib/extension-release.d/extension-release.$name"
mksquashfs "$dir" "$out" "$@"
rm -rf "$dir"
"""

TARGZ_SH = r"""
set -euo pipefail
archive=$1; work=$2; out=$3; shift 3
mkdir "$work"
tar -xzf "$archive" -C "$work"
mksquashfs "$work" "$out" "$@"
rm -rf "$work"
"""
