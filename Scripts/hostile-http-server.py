#!/usr/bin/env python3
"""A hostile HTTP server on loopback for cpuplay's tests of `watch --prometheus`.

Usage: hostile-http-server.py MODE PORTFILE
Binds 127.0.0.1 on a free port, writes the port to PORTFILE, adds a line to PORTFILE.log for
every request it has read, and answers every request as MODE says:
  silent    accepts and never answers
  trickle   sends a valid answer one byte a second
  endless   sends a 200 answer whose body never ends
  gzipbomb  sends a gzip body that inflates to 1 GiB of spaces inside a JSON string
  series    sends a well-formed vector of one million series
"""
import gzip, io, os, socket, sys, threading, time, zlib

def header(extra=b""):
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n" + extra + b"\r\n"

def gzip_bomb():
    # Deflate a 1 GiB body in 1 MiB pieces (about 1 MB compressed); built once.
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as g:
        g.write(b'{"status":"success","data":{"resultType":"vector","result":[],"pad":"')
        chunk = b" " * (1 << 20)
        for _ in range(1024):
            g.write(chunk)
        g.write(b'"}}')
    return out.getvalue()

def serve(conn, mode, bomb, log):
    try:
        conn.recv(65536)
        with open(log, "a") as f:
            f.write("request\n")
        if mode == "silent":
            time.sleep(3600)
        elif mode == "trickle":
            answer = header() + b'{"status":"success","data":{"resultType":"vector","result":[]}}'
            for b in answer:
                conn.sendall(bytes([b]))
                time.sleep(1)
        elif mode == "endless":
            conn.sendall(header() + b'{"status":"success","data":{"resultType":"vector","result":[')
            piece = b'{"metric":{"instance":"x","cpu":"0"},"value":[0,"0.5"]},' * 1000
            while True:
                conn.sendall(piece)
        elif mode == "gzipbomb":
            conn.sendall(header(b"Content-Encoding: gzip\r\nContent-Length: %d\r\n" % len(bomb)) + bomb)
            time.sleep(3600)
        elif mode == "series":
            conn.sendall(header() + b'{"status":"success","data":{"resultType":"vector","result":[')
            for i in range(1_000_000):
                sep = b"," if i else b""
                conn.sendall(sep + b'{"metric":{"instance":"n%d","cpu":"0"},"value":[0,"0.5"]}' % i)
            conn.sendall(b"]}}")
            time.sleep(3600)
    except OSError:
        pass
    finally:
        conn.close()

def main():
    mode, portfile = sys.argv[1], sys.argv[2]
    bomb = gzip_bomb() if mode == "gzipbomb" else b""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(s.getsockname()[1]))
    os.rename(tmp, portfile)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, mode, bomb, portfile + ".log"), daemon=True).start()

if __name__ == "__main__":
    main()
