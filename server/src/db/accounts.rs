//! Local accounts for both backends: credentials, disabling and role grants. What takes
//! something away from a person bumps their `session_epoch` in the same transaction.

use super::errors::{DbError, DbResult};
use super::write_tx::{with_tx, Change, Scope, WriteTx};
use super::{now_micros, with_pool, Db};
use app::domain::audit::Details;
use app::domain::policy::{Grant, GrantScope, Role};
use app::domain::{Principal, TeamId, UserId};
use app::ports::{AccountStore, Actor, Credentials, PasswordKind, SessionAccount, StoreResult};
use async_trait::async_trait;

/// The id, password hash, must-change and demo flags, disabled instant, session epoch and
/// second factor's confirmation instant of a person.
type CredentialRow = (
    String,
    Option<String>,
    i64,
    i64,
    Option<i64>,
    i64,
    Option<i64>,
);

const CREDENTIAL_COLUMNS: &str = "u.id, c.password_hash, coalesce(c.must_change, 0), \
    coalesce(c.demo_password, 0), u.disabled_at, u.session_epoch, f.confirmed_at";

const CREDENTIALS_FROM: &str = "from users u left join credentials c on c.user_id = u.id \
    left join second_factors f on f.user_id = u.id";

/// The setting's value as a column of an account's read (1 when required), so that the check
/// on every signed-in request stays one statement.
const SECOND_FACTOR_REQUIRED: &str = "(select count(*) from settings s \
    where s.key = 'second_factor_required' and s.value = 'true')";

fn credentials_of(row: CredentialRow) -> Credentials {
    let (id, password_hash, must_change, demo_password, disabled_at, session_epoch, confirmed) =
        row;
    Credentials {
        user_id: UserId(id),
        password_hash,
        must_change: must_change != 0,
        demo_password: demo_password != 0,
        disabled: disabled_at.is_some(),
        session_epoch,
        second_factor: confirmed.is_some(),
    }
}

/// A stored grant, read back; a row the schema's checks let through but the policy does not
/// is corrupt data, not a grant.
fn grant_of(role: &str, team: Option<String>) -> DbResult<Grant> {
    let role = Role::from_code(role).ok_or_else(|| DbError::corrupt("role", role))?;
    let scope = team.map_or(GrantScope::Organization, |t| GrantScope::Team(TeamId(t)));
    Grant::new(role, scope).map_err(|e| DbError::corrupt("grant", e.0))
}

/// A credential row with the person's name and email, and one of their grants (none when they
/// hold no role): one row per grant.
type SessionRow = (
    String,
    Option<String>,
    i64,
    i64,
    Option<i64>,
    i64,
    Option<i64>,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
);

async fn session_account(db: &Db, user: &UserId) -> DbResult<Option<SessionAccount>> {
    // One statement: this runs on every signed-in request.
    let sql = format!(
        "select {CREDENTIAL_COLUMNS}, {SECOND_FACTOR_REQUIRED}, u.name, u.email, g.role, \
         g.team_id {CREDENTIALS_FROM} left join role_grants g on g.user_id = u.id where u.id = $1 \
         order by g.role, coalesce(g.team_id, '')"
    );
    let rows: Vec<SessionRow> = with_pool!(db, pool => {
        sqlx::query_as(&sql).bind(user.as_str()).fetch_all(pool).await?
    });
    Ok(accounts_of(rows)?.into_iter().next())
}

async fn all_accounts(db: &Db) -> DbResult<Vec<SessionAccount>> {
    let sql = format!(
        "select {CREDENTIAL_COLUMNS}, {SECOND_FACTOR_REQUIRED}, u.name, u.email, g.role, \
         g.team_id {CREDENTIALS_FROM} left join role_grants g on g.user_id = u.id \
         order by lower(u.name), u.id, g.role, coalesce(g.team_id, '')"
    );
    let rows: Vec<SessionRow> = with_pool!(db, pool => {
        sqlx::query_as(&sql).fetch_all(pool).await?
    });
    accounts_of(rows)
}

/// Accounts from rows of one account per run of rows (one row per grant), in row order.
fn accounts_of(rows: Vec<SessionRow>) -> DbResult<Vec<SessionAccount>> {
    let mut accounts: Vec<SessionAccount> = Vec::new();
    for row in rows {
        let (id, hash, must, demo, disabled, epoch, confirmed, required, name, email, role, team) =
            row;
        if accounts
            .last()
            .is_none_or(|a| a.credentials.user_id.as_str() != id)
        {
            accounts.push(SessionAccount {
                credentials: credentials_of((id, hash, must, demo, disabled, epoch, confirmed)),
                name,
                email,
                grants: Vec::new(),
                second_factor_required: required > 0,
            });
        }
        if let (Some(role), Some(account)) = (role, accounts.last_mut()) {
            account.grants.push(grant_of(&role, team)?);
        }
    }
    Ok(accounts)
}

async fn credentials_where(
    db: &Db,
    column: &'static str,
    value: &str,
) -> DbResult<Option<Credentials>> {
    let sql = format!("select {CREDENTIAL_COLUMNS} {CREDENTIALS_FROM} where u.{column} = $1");
    let row: Option<CredentialRow> = with_pool!(db, pool => {
        sqlx::query_as(&sql).bind(value).fetch_optional(pool).await?
    });
    Ok(row.map(credentials_of))
}

/// Ends the person's other sessions; returns the new epoch. `NotFound` when there is no such
/// person.
pub(super) async fn bump_epoch(tx: &mut WriteTx, user: &UserId) -> DbResult<i64> {
    let epoch: Option<i64> = with_tx!(tx, conn => {
        sqlx::query_scalar(
            "update users set session_epoch = session_epoch + 1 where id = $1 \
             returning session_epoch",
        )
        .bind(user.as_str())
        .fetch_optional(&mut *conn)
        .await?
    });
    epoch.ok_or(DbError::NotFound)
}

async fn set_password(
    db: &Db,
    user: &UserId,
    hash: &str,
    kind: PasswordKind,
    actor: &Principal,
) -> DbResult<i64> {
    let mut tx = db.begin_write(Scope::Record).await?;
    let epoch = bump_epoch(&mut tx, user).await?;
    with_tx!(&mut tx, conn => {
        sqlx::query(
            "insert into credentials (user_id, password_hash, must_change, demo_password, set_at) \
             values ($1, $2, $3, $4, $5) on conflict (user_id) do update set \
             password_hash = excluded.password_hash, must_change = excluded.must_change, \
             demo_password = excluded.demo_password, set_at = excluded.set_at",
        )
        .bind(user.as_str())
        .bind(hash)
        .bind(i64::from(kind == PasswordKind::Temporary))
        .bind(i64::from(kind == PasswordKind::Demo))
        .bind(now_micros())
        .execute(&mut *conn)
        .await?;
    });
    let mut change = Change::new(actor, "user.password_set", user.as_str());
    if kind == PasswordKind::Temporary {
        let cleared = super::second_factor::clear(&mut tx, user).await?;
        change = change.details(Details::new().with("second_factor_removed", cleared));
    }
    tx.commit(change).await?;
    Ok(epoch)
}

async fn set_disabled(db: &Db, user: &UserId, disabled: bool, actor: &Principal) -> DbResult<()> {
    let mut tx = db.begin_write(Scope::Record).await?;
    bump_epoch(&mut tx, user).await?;
    let at = disabled.then(now_micros);
    with_tx!(&mut tx, conn => {
        sqlx::query("update users set disabled_at = $2 where id = $1")
            .bind(user.as_str())
            .bind(at)
            .execute(&mut *conn)
            .await?;
    });
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    tx.commit(Change::new(actor, action, user.as_str())).await
}

/// What an audit event of a grant says: the role and, for a team's grant, the team.
fn grant_details(grant: &Grant) -> Details {
    Details::new()
        .with("role", grant.role().code())
        .with("team_id", team_of(grant))
}

/// The team a grant is stored with (none for the whole organization).
fn team_of(grant: &Grant) -> Option<&str> {
    match grant.scope() {
        GrantScope::Organization => None,
        GrantScope::Team(t) => Some(t.as_str()),
    }
}

async fn grants(db: &Db, user: &UserId) -> DbResult<Vec<Grant>> {
    let rows: Vec<(String, Option<String>)> = with_pool!(db, pool => {
        sqlx::query_as(
            "select role, team_id from role_grants where user_id = $1 \
             order by role, coalesce(team_id, '')",
        )
        .bind(user.as_str())
        .fetch_all(pool)
        .await?
    });
    rows.into_iter()
        .map(|(role, team)| grant_of(&role, team))
        .collect()
}

async fn grant(db: &Db, user: &UserId, grant: &Grant, actor: &Principal) -> DbResult<bool> {
    let mut tx = db.begin_write(Scope::Record).await?;
    let added = with_tx!(&mut tx, conn => {
        sqlx::query(
            "insert into role_grants (user_id, role, team_id, granted_at, granted_by) \
             values ($1, $2, $3, $4, $5) on conflict do nothing",
        )
        .bind(user.as_str())
        .bind(grant.role().code())
        .bind(team_of(grant))
        .bind(now_micros())
        .bind(actor.actor_label())
        .execute(&mut *conn)
        .await?
        .rows_affected()
    }) == 1;
    if !added {
        return Ok(false);
    }
    let change = Change::new(actor, "role.grant", user.as_str()).details(grant_details(grant));
    tx.commit(match team_of(grant) {
        Some(t) => change.team(t),
        None => change,
    })
    .await?;
    Ok(true)
}

async fn revoke(db: &Db, user: &UserId, grant: &Grant, actor: &Principal) -> DbResult<bool> {
    let mut tx = db.begin_write(Scope::Record).await?;
    let removed = with_tx!(&mut tx, conn => {
        sqlx::query(
            "delete from role_grants where user_id = $1 and role = $2 \
             and coalesce(team_id, '') = $3",
        )
        .bind(user.as_str())
        .bind(grant.role().code())
        .bind(team_of(grant).unwrap_or(""))
        .execute(&mut *conn)
        .await?
        .rows_affected()
    }) == 1;
    if !removed {
        return Ok(false);
    }
    bump_epoch(&mut tx, user).await?;
    let change = Change::new(actor, "role.revoke", user.as_str()).details(grant_details(grant));
    tx.commit(match team_of(grant) {
        Some(t) => change.team(t),
        None => change,
    })
    .await?;
    Ok(true)
}

async fn has_admin(db: &Db) -> DbResult<bool> {
    let n: i64 = with_pool!(db, pool => {
        sqlx::query_scalar(
            "select count(*) from (select 1 from role_grants g join users u on u.id = g.user_id \
             where g.role = 'admin' and u.is_demo = 0 and u.disabled_at is null limit 1) x",
        )
        .fetch_one(pool)
        .await?
    });
    Ok(n > 0)
}

#[async_trait]
impl AccountStore for Db {
    async fn credentials_by_email(&self, email: &str) -> StoreResult<Option<Credentials>> {
        Ok(credentials_where(self, "email", &email.trim().to_lowercase()).await?)
    }

    async fn credentials(&self, user: &UserId) -> StoreResult<Option<Credentials>> {
        Ok(credentials_where(self, "id", user.as_str()).await?)
    }

    async fn set_password(
        &self,
        user: &UserId,
        password_hash: &str,
        kind: PasswordKind,
        actor: Actor<'_>,
    ) -> StoreResult<i64> {
        Ok(set_password(self, user, password_hash, kind, actor).await?)
    }

    async fn session_account(&self, user: &UserId) -> StoreResult<Option<SessionAccount>> {
        Ok(session_account(self, user).await?)
    }

    async fn all_accounts(&self) -> StoreResult<Vec<SessionAccount>> {
        Ok(all_accounts(self).await?)
    }

    async fn set_disabled(
        &self,
        user: &UserId,
        disabled: bool,
        actor: Actor<'_>,
    ) -> StoreResult<()> {
        Ok(set_disabled(self, user, disabled, actor).await?)
    }

    async fn grants(&self, user: &UserId) -> StoreResult<Vec<Grant>> {
        Ok(grants(self, user).await?)
    }

    async fn grant(&self, user: &UserId, g: &Grant, actor: Actor<'_>) -> StoreResult<bool> {
        Ok(grant(self, user, g, actor).await?)
    }

    async fn revoke(&self, user: &UserId, g: &Grant, actor: Actor<'_>) -> StoreResult<bool> {
        Ok(revoke(self, user, g, actor).await?)
    }

    async fn has_admin(&self) -> StoreResult<bool> {
        Ok(has_admin(self).await?)
    }
}
