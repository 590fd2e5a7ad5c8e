// libcurl's easy and multi interfaces for `watch --prometheus`, plus what Swift cannot call
// directly: curl_easy_setopt and curl_easy_getinfo are variadic, and a finished transfer's
// result sits in a union.
#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H

#include <curl/curl.h>

static inline CURLcode ccurl_set_long(CURL *h, CURLoption option, long value) { return curl_easy_setopt(h, option, value); }
static inline CURLcode ccurl_set_string(CURL *h, CURLoption option, const char *value) { return curl_easy_setopt(h, option, value); }
static inline CURLcode ccurl_set_pointer(CURL *h, CURLoption option, void *value) { return curl_easy_setopt(h, option, value); }

typedef size_t (*ccurl_write_function)(char *data, size_t size, size_t count, void *context);
static inline CURLcode ccurl_set_write_function(CURL *h, ccurl_write_function f) {
    return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, f);
}

/// The HTTP status of the last answer (0 when none arrived).
static inline long ccurl_status(CURL *h) {
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

/// The result of the first finished transfer `multi` reports, or -1 while none has finished.
static inline int ccurl_finished_result(CURLM *multi) {
    int queued = 0;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(multi, &queued)) != NULL) {
        if (msg->msg == CURLMSG_DONE) return (int)msg->data.result;
    }
    return -1;
}

#endif
