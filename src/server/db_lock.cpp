#include "server/db_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kith::server {

DatabaseLock::~DatabaseLock() { ::close(fd_); }  // closing releases the lock

Result<std::unique_ptr<DatabaseLock>> DatabaseLock::Acquire(const std::string& database_path,
                                                            const std::string& holder) {
  const std::string path = database_path + ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error::Conflict("Cannot open " + path + ": " + std::strerror(errno) + ".");
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return Error::Conflict(holder + " is using " + database_path + ".");
    return Error::Conflict("Cannot lock " + path + ": " + std::strerror(err) + ".");
  }
  return std::unique_ptr<DatabaseLock>(new DatabaseLock(fd));
}

}  // namespace kith::server
