#include "store/sqlite/wal_watch.h"

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace harvest::store::sqlite {

WalWatch::WalWatch(const std::string& wal) : wal_(wal) {
  if (wal_.empty()) {
    return;
  }
  fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) {
    return;
  }
  struct stat before;
  struct stat after;
  if (stat(wal_.c_str(), &before) != 0 ||
      inotify_add_watch(fd_, wal_.c_str(), IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF) <
          0 ||
      stat(wal_.c_str(), &after) != 0 || after.st_ino != before.st_ino) {
    close(fd_);
    fd_ = -1;
    return;
  }
  inode_ = after.st_ino;
  device_ = after.st_dev;
}

bool WalWatch::StillThere() const {
  struct stat now;
  return stat(wal_.c_str(), &now) == 0 && now.st_ino == inode_ && now.st_dev == device_;
}

WalWatch::~WalWatch() {
  if (fd_ >= 0) {
    close(fd_);
  }
}

uint64_t WalWatch::Epoch() {
  std::lock_guard lock(mutex_);
  if (fd_ < 0) {
    return 0;
  }
  // The kernel queues an event during the write(2) itself, so a commit that has finished
  // is in the queue by now. Consecutive identical events are merged: the queue stays short.
  alignas(inotify_event) char buffer[4096];
  bool written = false;
  while (true) {
    ssize_t n = read(fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && errno == EAGAIN) {
      break;  // nothing more
    }
    if (n <= 0) {
      close(fd_);  // cannot tell any more
      fd_ = -1;
      return 0;
    }
    written = true;
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
      // Moved, gone, or the queue overflowed: later writes may go where the watch does not
      // look. IN_ATTRIB comes with an unlink (the link count; the inode lives on while SQLite
      // holds it open) but also with SQLite's fchown of the file each time a connection opens
      // it as root, so the path is looked at again.
      bool lost = event->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_Q_OVERFLOW);
      if (lost || ((event->mask & IN_ATTRIB) && !StillThere())) {
        close(fd_);
        fd_ = -1;
        return 0;
      }
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
  if (written) {
    ++epoch_;
  }
  return epoch_;
}

}  // namespace harvest::store::sqlite
