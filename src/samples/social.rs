//! `social`: a small social network (users, posts, comments, likes, follows, direct messages,
//! hashtags, notifications). Thirteen tables; a friendly first project to open.
//!
//! Also home of [`layout`], the canvas layout helper the other samples share.

use crate::model::builder::ProjectBuilder;
use crate::model::{LogicalType as T, Project};

/// Canvas layout for the samples: tables are stacked in columns inside colored areas, with
/// card heights estimated from the column count, so cards never overlap.
pub(crate) mod layout {
    use crate::model::builder::ProjectBuilder;
    use crate::model::{Command, Position, TableId};

    /// Width of a table card on the canvas.
    pub const CARD_WIDTH: f32 = 260.0;
    /// Horizontal distance between two columns of cards.
    const COLUMN_STEP: f32 = CARD_WIDTH + 60.0;
    /// Vertical gap between two stacked cards.
    const GAP_Y: f32 = 40.0;
    /// Padding inside an area, and room for its title.
    const PAD: f32 = 30.0;
    const TITLE: f32 = 30.0;
    /// Gap between two areas.
    pub const AREA_GAP: f32 = 80.0;

    /// Estimated card height: a 40px header plus 30px per column.
    pub fn card_height(b: &ProjectBuilder, t: TableId) -> f32 {
        let cols = b.project().table(t).map_or(0, |t| t.columns.len());
        40.0 + 30.0 * cols as f32
    }

    /// Place `columns` (each a top-to-bottom stack of tables) with the first card's top-left
    /// corner at `origin`, as one `MoveTables` command. Returns the bounding size.
    pub fn stack(b: &mut ProjectBuilder, origin: [f32; 2], columns: &[&[TableId]]) -> [f32; 2] {
        let mut moves = Vec::new();
        let mut height: f32 = 0.0;
        for (i, col) in columns.iter().enumerate() {
            let x = origin[0] + i as f32 * COLUMN_STEP;
            let mut y = origin[1];
            for &t in *col {
                moves.push((t, Position { x, y }));
                let h = card_height(b, t);
                height = height.max(y + h - origin[1]);
                y += h + GAP_Y;
            }
        }
        b.apply(Command::MoveTables(moves));
        let width = match columns.len() {
            0 => 0.0,
            n => (n - 1) as f32 * COLUMN_STEP + CARD_WIDTH,
        };
        [width, height]
    }

    /// Like [`stack`], inside a colored area whose top-left corner is `origin`.
    /// Returns the area's size.
    pub fn area(
        b: &mut ProjectBuilder,
        name: &str,
        color: [u8; 3],
        origin: [f32; 2],
        columns: &[&[TableId]],
    ) -> [f32; 2] {
        let [w, h] = stack(b, [origin[0] + PAD, origin[1] + PAD + TITLE], columns);
        let size = [w + 2.0 * PAD, h + 2.0 * PAD + TITLE];
        b.area(name, color, origin, size);
        size
    }
}

const NOW: &str = "CURRENT_TIMESTAMP";

pub fn build() -> Project {
    let mut b = ProjectBuilder::new("Social");

    let users = b.table("users", |t| {
        t.table_comment("Registered accounts.");
        t.col("id", T::BigInt).identity().pk();
        t.col("username", T::Varchar(Some(30)))
            .not_null()
            .unique()
            .comment("Public handle, shown as @username.");
        t.col("email", T::Varchar(Some(255)))
            .not_null()
            .unique()
            .tag("pii")
            .comment("Login and notification address.");
        t.col("password_hash", T::Varchar(Some(255)))
            .not_null()
            .comment("Argon2id hash; never the password itself.");
        t.col("display_name", T::Varchar(Some(80))).tag("pii");
        t.col("is_verified", T::Boolean).not_null().default("FALSE");
        t.col("is_private", T::Boolean).not_null().default("FALSE");
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.col("last_seen_at", T::TimestampTz);
    });

    let profiles = b.table("profiles", |t| {
        t.table_comment("One-to-one extension of users with optional profile details.");
        t.col("user_id", T::BigInt).pk();
        t.col("bio", T::Text);
        t.col("avatar_url", T::Varchar(Some(500)));
        t.col("website", T::Varchar(Some(255)));
        t.col("location", T::Varchar(Some(120))).tag("pii");
        t.col("birth_date", T::Date)
            .tag("pii")
            .comment("Only used for age checks; never shown publicly.");
        t.col("updated_at", T::TimestampTz).not_null().default(NOW);
    });

    let follows = b.table("follows", |t| {
        t.table_comment("Who follows whom. A directed edge between two users.");
        t.col("follower_id", T::BigInt).pk();
        t.col("followee_id", T::BigInt).pk();
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.check(Some("ck_follows_not_self"), "follower_id <> followee_id");
        t.index("ix_follows_followee", &["followee_id"]);
    });

    let posts = b.table("posts", |t| {
        t.table_comment("Short posts on a user's timeline.");
        t.col("id", T::BigInt).identity().pk();
        t.col("author_id", T::BigInt).not_null();
        t.col("reply_to_post_id", T::BigInt)
            .comment("Set when the post answers another post.");
        t.col("body", T::Text).not_null();
        t.col("visibility", T::Varchar(Some(20)))
            .not_null()
            .default("'public'");
        t.col("is_deleted", T::Boolean)
            .not_null()
            .default("FALSE")
            .comment("Soft delete: hidden from timelines, replies stay threaded.");
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.col("edited_at", T::TimestampTz);
        t.check(
            Some("ck_posts_visibility"),
            "visibility IN ('public', 'followers', 'private')",
        );
        t.index("ix_posts_author_created", &["author_id", "created_at DESC"]);
        t.index("ix_posts_reply_to", &["reply_to_post_id"]);
    });

    let post_media = b.table("post_media", |t| {
        t.table_comment("Images and videos attached to a post.");
        t.col("id", T::BigInt).identity().pk();
        t.col("post_id", T::BigInt).not_null();
        t.col("url", T::Varchar(Some(500))).not_null();
        t.col("media_type", T::Varchar(Some(20))).not_null();
        t.col("width", T::Integer);
        t.col("height", T::Integer);
        t.col("sort_order", T::SmallInt).not_null().default("0");
        t.index("ix_post_media_post", &["post_id", "sort_order"]);
    });

    let comments = b.table("comments", |t| {
        t.table_comment("Threaded comments under a post.");
        t.col("id", T::BigInt).identity().pk();
        t.col("post_id", T::BigInt).not_null();
        t.col("author_id", T::BigInt).not_null();
        t.col("parent_comment_id", T::BigInt)
            .comment("The comment this one answers; NULL for top-level comments.");
        t.col("body", T::Text).not_null();
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.index("ix_comments_post_created", &["post_id", "created_at"]);
        t.index("ix_comments_author", &["author_id"]);
    });

    let likes = b.table("likes", |t| {
        t.table_comment("A user liking a post; at most once per post.");
        t.col("user_id", T::BigInt).pk();
        t.col("post_id", T::BigInt).pk();
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.index("ix_likes_post", &["post_id"]);
    });

    let hashtags = b.table("hashtags", |t| {
        t.table_comment("Distinct hashtags, stored lowercase without the #.");
        t.col("id", T::BigInt).identity().pk();
        t.col("tag", T::Varchar(Some(100))).not_null().unique();
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
    });

    let post_hashtags = b.table("post_hashtags", |t| {
        t.col("post_id", T::BigInt).pk();
        t.col("hashtag_id", T::BigInt).pk();
        t.index("ix_post_hashtags_hashtag", &["hashtag_id"]);
    });

    let conversations = b.table("conversations", |t| {
        t.table_comment("A direct-message thread between two or more users.");
        t.col("id", T::BigInt).identity().pk();
        t.col("title", T::Varchar(Some(120)))
            .comment("Only group conversations have a title.");
        t.col("is_group", T::Boolean).not_null().default("FALSE");
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
    });

    let messages = b.table("messages", |t| {
        t.table_comment("Direct messages. Bodies are private user content.");
        t.col("id", T::BigInt).identity().pk();
        t.col("conversation_id", T::BigInt).not_null();
        t.col("sender_id", T::BigInt).not_null();
        t.col("body", T::Text).not_null().tag("pii");
        t.col("sent_at", T::TimestampTz).not_null().default(NOW);
        t.col("deleted_at", T::TimestampTz);
        t.index(
            "ix_messages_conversation_sent",
            &["conversation_id", "sent_at"],
        );
    });

    let members = b.table("conversation_members", |t| {
        t.col("conversation_id", T::BigInt).pk();
        t.col("user_id", T::BigInt).pk();
        t.col("joined_at", T::TimestampTz).not_null().default(NOW);
        t.col("last_read_message_id", T::BigInt)
            .comment("Everything up to this message counts as read.");
        t.col("is_muted", T::Boolean).not_null().default("FALSE");
        t.index("ix_conversation_members_user", &["user_id"]);
    });

    let notifications = b.table("notifications", |t| {
        t.table_comment("In-app notifications: likes, follows, comments, mentions.");
        t.col("id", T::BigInt).identity().pk();
        t.col("recipient_id", T::BigInt).not_null();
        t.col("actor_id", T::BigInt)
            .comment("The user who caused the notification, if any.");
        t.col("kind", T::Varchar(Some(30))).not_null();
        t.col("post_id", T::BigInt);
        t.col("is_read", T::Boolean).not_null().default("FALSE");
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.check(
            Some("ck_notifications_kind"),
            "kind IN ('like', 'follow', 'comment', 'mention')",
        );
        t.index(
            "ix_notifications_recipient_unread",
            &["recipient_id", "is_read", "created_at DESC"],
        );
    });

    use crate::model::FkAction::{Cascade, SetNull};
    b.fk_with(profiles, &["user_id"], users, &["id"], |f| {
        f.on_delete = Cascade
    });
    b.fk_with(follows, &["follower_id"], users, &["id"], |f| {
        f.name = Some("fk_follows_follower".into());
        f.on_delete = Cascade;
    });
    b.fk_with(follows, &["followee_id"], users, &["id"], |f| {
        f.name = Some("fk_follows_followee".into());
        f.on_delete = Cascade;
    });
    b.fk_with(posts, &["author_id"], users, &["id"], |f| {
        f.on_delete = Cascade
    });
    b.fk_with(posts, &["reply_to_post_id"], posts, &["id"], |f| {
        f.on_delete = SetNull
    });
    b.fk_with(post_media, &["post_id"], posts, &["id"], |f| {
        f.on_delete = Cascade
    });
    b.fk_with(comments, &["post_id"], posts, &["id"], |f| {
        f.on_delete = Cascade
    });
    b.fk_with(comments, &["author_id"], users, &["id"], |f| {
        f.on_delete = Cascade
    });
    b.fk_with(comments, &["parent_comment_id"], comments, &["id"], |f| {
        f.on_delete = SetNull
    });
    b.fk_with(likes, &["user_id"], users, &["id"], |f| {
        f.on_delete = Cascade
    });
    b.fk_with(likes, &["post_id"], posts, &["id"], |f| {
        f.on_delete = Cascade
    });
    b.fk_with(post_hashtags, &["post_id"], posts, &["id"], |f| {
        f.on_delete = Cascade
    });
    b.fk_with(post_hashtags, &["hashtag_id"], hashtags, &["id"], |f| {
        f.on_delete = Cascade
    });
    b.fk_with(
        messages,
        &["conversation_id"],
        conversations,
        &["id"],
        |f| f.on_delete = Cascade,
    );
    b.fk(messages, &["sender_id"], users, &["id"]);
    b.fk_with(members, &["conversation_id"], conversations, &["id"], |f| {
        f.on_delete = Cascade
    });
    b.fk_with(members, &["user_id"], users, &["id"], |f| {
        f.on_delete = Cascade
    });
    b.fk_with(members, &["last_read_message_id"], messages, &["id"], |f| {
        f.on_delete = SetNull
    });
    b.fk_with(notifications, &["recipient_id"], users, &["id"], |f| {
        f.name = Some("fk_notifications_recipient".into());
        f.on_delete = Cascade;
    });
    b.fk_with(notifications, &["actor_id"], users, &["id"], |f| {
        f.name = Some("fk_notifications_actor".into());
        f.on_delete = SetNull;
    });
    b.fk_with(notifications, &["post_id"], posts, &["id"], |f| {
        f.on_delete = Cascade
    });

    b.view(
        "visible_posts",
        "SELECT id, author_id, body, created_at FROM posts \
         WHERE is_deleted = FALSE AND visibility = 'public'",
        &[posts],
    );

    // Canvas: people on the left, content in the middle, messaging on the right.
    let gap = layout::AREA_GAP;
    let people = layout::area(
        &mut b,
        "People",
        [0x4a, 0x90, 0xd9],
        [0.0, 0.0],
        &[&[users, profiles], &[follows, notifications]],
    );
    let x = people[0] + gap;
    let content = layout::area(
        &mut b,
        "Content",
        [0x5c, 0xb8, 0x5c],
        [x, 0.0],
        &[
            &[posts, post_media],
            &[comments, likes],
            &[hashtags, post_hashtags],
        ],
    );
    let x = x + content[0] + gap;
    let dms = layout::area(
        &mut b,
        "Messaging",
        [0xe8, 0xa3, 0x3d],
        [x, 0.0],
        &[&[conversations, members], &[messages]],
    );
    let bottom = people[1].max(content[1]).max(dms[1]) + 40.0;
    b.note(
        "Likes, follows, post_hashtags and conversation_members use composite primary keys: \
         a pair can exist only once, and there is no surrogate id.",
        0.0,
        bottom,
    );
    b.note(
        "Posts are soft-deleted (is_deleted) so that replies keep their thread; \
         the visible_posts view hides them.",
        x,
        bottom,
    );

    b.build()
}
