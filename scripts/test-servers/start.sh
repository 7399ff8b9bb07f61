#!/usr/bin/env bash
# Starts the real servers the publishing integration tests talk to: MariaDB + WordPress
# (Debian's packages, served by `php -S`) and an sshd for SFTP deploys, all on 127.0.0.1.
# Also installs git, apache2 and apache2-utils for the office sync tests, which start their
# own server with scripts/office-server (in a temporary folder, on a free port).
# Idempotent: running it again reuses what is already up. Writes the connection details
# to $GAZETTE_TEST_SERVERS_ENV (default /tmp/gazette-test-servers.env), which the tests read.
# Needs root (apt-get, /etc/wordpress, sshd). Set GAZETTE_TEST_SERVERS_NO_APT=1 to skip apt.
set -euo pipefail

STATE="${GAZETTE_TEST_SERVERS_STATE:-/tmp/gazette-test-servers}"
ENV_FILE="${GAZETTE_TEST_SERVERS_ENV:-/tmp/gazette-test-servers.env}"
WP_PORT="${GAZETTE_WP_PORT:-18080}"
SFTP_PORT="${GAZETTE_SFTP_PORT:-12222}"
WP_ADMIN_USER="gazette"
WP_ADMIN_PASSWORD="gazette-admin-pass"
DB_NAME="gazette_wp"
DB_USER="gazette_wp"
DB_PASSWORD="gazette-db-pass"
SFTP_USER="gazettesftp"
SOCKET="$STATE/mysqld.sock"
WP_HOST="127.0.0.1"
WP_URL="http://$WP_HOST:$WP_PORT"

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
mkdir -p "$STATE"
log() { echo "[test-servers] $*" >&2; }

wait_for() { # wait_for <tenths of a second> <command...>
  local limit=$1; shift
  for _ in $(seq 1 "$limit"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

# --- packages -------------------------------------------------------------------------
need=()
for pkg in wordpress mariadb-server php-cli php-mysql php-xml openssh-server curl git apache2 apache2-utils; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "${GAZETTE_TEST_SERVERS_NO_APT:-}" = 1 ]; then
    log "missing packages: ${need[*]}"; exit 1
  fi
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- MariaDB (private datadir and socket, no TCP) ------------------------------------
if ! wait_for 2 mariadb-admin --socket="$SOCKET" -uroot ping; then
  if [ ! -d "$STATE/mysql/mysql" ]; then
    log "initialising MariaDB datadir"
    mariadb-install-db --user=root --datadir="$STATE/mysql" --auth-root-authentication-method=normal \
      --skip-test-db >"$STATE/mariadb-install.log" 2>&1
  fi
  log "starting MariaDB"
  nohup mariadbd --user=root --datadir="$STATE/mysql" --socket="$SOCKET" --skip-networking \
    --pid-file="$STATE/mysqld.pid" --log-error="$STATE/mysqld.err" >/dev/null 2>&1 &
  wait_for 300 mariadb-admin --socket="$SOCKET" -uroot ping || { log "MariaDB did not start, see $STATE/mysqld.err"; exit 1; }
fi
mariadb --socket="$SOCKET" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON \`$DB_NAME\`.* TO '$DB_USER'@'localhost';
FLUSH PRIVILEGES;
SQL

# --- WordPress ------------------------------------------------------------------------
# Debian's wp-config.php picks /etc/wordpress/config-<host>.php from the Host header (port stripped).
$SUDO mkdir -p /etc/wordpress
$SUDO tee "/etc/wordpress/config-$WP_HOST.php" >/dev/null <<PHP
<?php
define('DB_NAME', '$DB_NAME');
define('DB_USER', '$DB_USER');
define('DB_PASSWORD', '$DB_PASSWORD');
define('DB_HOST', 'localhost:$SOCKET');
define('DB_CHARSET', 'utf8mb4');
define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');
define('WP_HOME', '$WP_URL');
define('WP_SITEURL', '$WP_URL');
// Application passwords are refused over plain HTTP unless the site says it is local.
define('WP_ENVIRONMENT_TYPE', 'local');
// php -S serves one request at a time per worker; cron's loopback request would only add noise.
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('AUTH_KEY', 'gazette-test-auth');
define('SECURE_AUTH_KEY', 'gazette-test-secure-auth');
define('LOGGED_IN_KEY', 'gazette-test-logged-in');
define('NONCE_KEY', 'gazette-test-nonce');
define('AUTH_SALT', 'gazette-test-auth-salt');
define('SECURE_AUTH_SALT', 'gazette-test-secure-auth-salt');
define('LOGGED_IN_SALT', 'gazette-test-logged-in-salt');
define('NONCE_SALT', 'gazette-test-nonce-salt');
PHP
$SUDO mkdir -p /var/lib/wordpress/wp-content/uploads
# Debian ships no theme with the wordpress package, and without one every front-end page is
# empty; the live-URL verification needs a page that shows the post, so install a minimal one.
THEME_DIR=/var/lib/wordpress/wp-content/themes/gazette-test
$SUDO mkdir -p "$THEME_DIR"
$SUDO tee "$THEME_DIR/style.css" >/dev/null <<'CSS'
/*
Theme Name: Gazette Test
Description: Minimal theme for Gazette's publishing integration tests.
*/
CSS
$SUDO tee "$THEME_DIR/index.php" >/dev/null <<'PHP'
<!DOCTYPE html>
<html <?php language_attributes(); ?>><head><meta charset="<?php bloginfo('charset'); ?>"><?php wp_head(); ?></head>
<body><?php while (have_posts()) : the_post(); ?>
<article><h1 class="entry-title"><?php the_title(); ?></h1><div class="entry-content"><?php the_content(); ?></div></article>
<?php endwhile; ?></body></html>
PHP
$SUDO chmod 0777 /var/lib/wordpress/wp-content/uploads

# Installs the site (once) and issues an application password (every run: it is not stored
# in clear text by WordPress, so a fresh one is the only way to know it).
cat >"$STATE/bootstrap.php" <<'PHP'
<?php
$_SERVER['HTTP_HOST'] = getenv('GZ_WP_HOST');
$_SERVER['REQUEST_URI'] = '/';
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$user = getenv('GZ_WP_USER');
if (!is_blog_installed()) {
  wp_install('Gazette 测试站', $user, 'gazette@example.com', false, '', wp_slash(getenv('GZ_WP_PASS')), 'zh_CN');
}
update_option('permalink_structure', '');
if (get_stylesheet() !== 'gazette-test') switch_theme('gazette-test');
$wp_user = get_user_by('login', $user);
if (!$wp_user) { fwrite(STDERR, "no user $user\n"); exit(1); }
// XML-RPC logs in with the account password; keep it known even on a reused database.
wp_set_password(getenv('GZ_WP_PASS'), $wp_user->ID);
foreach (WP_Application_Passwords::get_user_application_passwords($wp_user->ID) as $item) {
  if ($item['name'] === 'gazette-tests') WP_Application_Passwords::delete_application_password($wp_user->ID, $item['uuid']);
}
$created = WP_Application_Passwords::create_new_application_password($wp_user->ID, array('name' => 'gazette-tests'));
if (is_wp_error($created)) { fwrite(STDERR, $created->get_error_message() . "\n"); exit(1); }
echo $created[0];
PHP
log "installing WordPress / issuing an application password"
APP_PASSWORD=$(GZ_WP_HOST="$WP_HOST:$WP_PORT" GZ_WP_USER="$WP_ADMIN_USER" GZ_WP_PASS="$WP_ADMIN_PASSWORD" \
  php -d display_errors=stderr "$STATE/bootstrap.php")

# Debian keeps wp-content (uploads, themes) in /var/lib/wordpress and lets Apache alias /wp-content
# to it; php -S has no alias, so without this router every uploaded image answers 404.
cat >"$STATE/router.php" <<'PHP'
<?php
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
if (strncmp($path, '/wp-content/', 12) === 0) {
  $root = '/var/lib/wordpress/wp-content/';
  $file = realpath('/var/lib/wordpress' . $path);
  if ($file === false || strncmp($file, $root, strlen($root)) !== 0 || !is_file($file) || str_ends_with($file, '.php')) {
    http_response_code(404);
    header('Content-Type: text/plain');
    echo "not found\n";
    return true;
  }
  $types = ['png' => 'image/png', 'jpg' => 'image/jpeg', 'jpeg' => 'image/jpeg', 'gif' => 'image/gif',
    'webp' => 'image/webp', 'svg' => 'image/svg+xml', 'css' => 'text/css', 'js' => 'text/javascript', 'pdf' => 'application/pdf'];
  $ext = strtolower(pathinfo($file, PATHINFO_EXTENSION));
  header('Content-Type: ' . ($types[$ext] ?? 'application/octet-stream'));
  header('Content-Length: ' . filesize($file));
  readfile($file);
  return true;
}
return false;
PHP

if ! wait_for 2 curl -fsS -o /dev/null "$WP_URL/?rest_route=/"; then
  log "starting php -S on $WP_URL"
  # Several workers: the fault-injection tests keep a stalled request open while retrying.
  PHP_CLI_SERVER_WORKERS=4 nohup php -d upload_max_filesize=32M -d post_max_size=40M \
    -S "$WP_HOST:$WP_PORT" -t /usr/share/wordpress "$STATE/router.php" >"$STATE/php-server.log" 2>&1 &
  echo $! >"$STATE/php-server.pid"
  wait_for 300 curl -fsS -o /dev/null "$WP_URL/?rest_route=/" || { log "WordPress did not answer, see $STATE/php-server.log"; exit 1; }
fi

# --- sshd for SFTP -----------------------------------------------------------------------
id "$SFTP_USER" >/dev/null 2>&1 || $SUDO useradd -m -s /bin/bash "$SFTP_USER"
# useradd leaves the account locked ('!'), and sshd without PAM refuses locked accounts even for keys.
$SUDO usermod -p '*' "$SFTP_USER"
SFTP_HOME=$(getent passwd "$SFTP_USER" | cut -d: -f6)
[ -f "$STATE/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$STATE/ssh_host_ed25519_key"
[ -f "$STATE/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C gazette-tests -f "$STATE/client_ed25519"
$SUDO mkdir -p "$SFTP_HOME/.ssh"
$SUDO cp "$STATE/client_ed25519.pub" "$SFTP_HOME/.ssh/authorized_keys"
$SUDO chown -R "$SFTP_USER:" "$SFTP_HOME/.ssh"
$SUDO chmod 700 "$SFTP_HOME/.ssh"; $SUDO chmod 600 "$SFTP_HOME/.ssh/authorized_keys"
chmod 644 "$STATE/client_ed25519"
cat >"$STATE/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $SFTP_PORT
HostKey $STATE/ssh_host_ed25519_key
PidFile $STATE/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AllowUsers $SFTP_USER
UsePAM no
Subsystem sftp internal-sftp
CONF
if ! (exec 3<>"/dev/tcp/127.0.0.1/$SFTP_PORT") 2>/dev/null; then
  log "starting sshd on 127.0.0.1:$SFTP_PORT"
  $SUDO mkdir -p /run/sshd
  $SUDO "$(command -v sshd || echo /usr/sbin/sshd)" -f "$STATE/sshd_config" -E "$STATE/sshd.log"
  wait_for 100 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SFTP_PORT" || { log "sshd did not start, see $STATE/sshd.log"; exit 1; }
fi

cat >"$ENV_FILE" <<ENV
GAZETTE_WP_URL=$WP_URL
GAZETTE_WP_USER=$WP_ADMIN_USER
GAZETTE_WP_PASSWORD=$WP_ADMIN_PASSWORD
GAZETTE_WP_APP_PASSWORD=$APP_PASSWORD
GAZETTE_WP_XMLRPC_URL=$WP_URL/xmlrpc.php
GAZETTE_SFTP_HOST=127.0.0.1
GAZETTE_SFTP_PORT=$SFTP_PORT
GAZETTE_SFTP_USER=$SFTP_USER
GAZETTE_SFTP_KEY=$STATE/client_ed25519
GAZETTE_SFTP_ROOT=$SFTP_HOME
ENV
log "ready; connection details in $ENV_FILE"
cat "$ENV_FILE"
