#ifndef PROVSYNC_CCURL_SHIM_H
#define PROVSYNC_CCURL_SHIM_H

#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

/// `curl_easy_setopt`, `curl_multi_setopt` and `curl_easy_getinfo` are variadic and cannot be called from
/// Swift; these wrappers fix the type of their last argument.

static inline CURLcode provsync_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode provsync_curl_set_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// For string options (libcurl copies the string) and for data pointers (`CURLOPT_WRITEDATA`, `CURLOPT_PRIVATE`).
static inline CURLcode provsync_curl_set_pointer(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode provsync_curl_set_headers(CURL *handle, struct curl_slist *headers) {
    return curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
}

/// `CURLOPT_WRITEFUNCTION` and `CURLOPT_HEADERFUNCTION` take the same callback type.
static inline CURLcode provsync_curl_set_callback(CURL *handle, CURLoption option, curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLMcode provsync_curl_multi_set_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

static inline CURLcode provsync_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode provsync_curl_get_off(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// The finished transfer of a `CURLMSG_DONE` message and its result (the message's `data` is a union).
static inline CURL *provsync_curl_message_handle(CURLMsg *message) {
    return message->easy_handle;
}

static inline int provsync_curl_message_is_done(CURLMsg *message) {
    return message->msg == CURLMSG_DONE;
}

static inline CURLcode provsync_curl_message_result(CURLMsg *message) {
    return message->data.result;
}

#endif
